"""The points model of DESIGN.md §6."""
