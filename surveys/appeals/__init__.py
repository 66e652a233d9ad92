"""Appeals: an agent contests a complaint or a rating; a manager upholds or voids it."""
