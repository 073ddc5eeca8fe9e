"""Model runtime: manifests, registry, provider choice, cancellation. No Qt, no torch."""
