"""Services: the work behind the views. They add and flush; the view commits once."""
