"""Pure computation: the Chinese classifier, the points model and report building."""
