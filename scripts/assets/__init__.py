"""What the site ships beside its pages: wheels, the trimmed standard library, compressed files, host files."""
