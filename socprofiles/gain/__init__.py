"""GAIN: agencies finding out, without seeing each other's records, that they hold
information on the same people, businesses, vehicles and premises (issue 9). The matching
engine (engine/) comes first; holdings, hit/no-hit and disclosure build on it."""
