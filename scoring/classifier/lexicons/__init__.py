"""Plain-text lexicons (a package only so that installs ship the .txt files)."""
