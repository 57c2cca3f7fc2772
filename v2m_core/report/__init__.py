"""Pages a person opens in a browser: `v2m report` (one composition, played against its plan and judged by its
measures) and the media they embed or link. Each page is one HTML file with its script and style inline."""
