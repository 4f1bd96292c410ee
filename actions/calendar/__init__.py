"""Due dates as secret-link iCalendar feeds, one per person and one per plan."""
