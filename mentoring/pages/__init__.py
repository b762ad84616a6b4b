"""The site's own pages: start, legal pages, accessibility statement with its barrier report, health check."""
