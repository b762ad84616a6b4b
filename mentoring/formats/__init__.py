"""Date and time formats per language (FORMAT_MODULE_PATH); Django\x27s own fill in the rest."""
