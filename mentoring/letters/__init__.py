"""Letters to participants (Rundschreiben): a group chosen across apps, news and essential letters."""
