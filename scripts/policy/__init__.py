"""The policy compiler: policy/*.yaml loaded, checked and compiled into the package; its guards and source checks."""
