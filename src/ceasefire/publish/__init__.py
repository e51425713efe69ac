"""Outputs: exports (GeoJSON, ACLED CSV) and signed bundles anyone can verify offline."""
