"""What every service of the District Local Coordination Center needs once."""
