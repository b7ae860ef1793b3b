"""Performance figures (``make bench``): scripts, never timed tests."""
