"""Stand-ins for systems the center talks to but that cannot be reached from a laptop or CI."""
