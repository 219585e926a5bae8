"""Developer tools: benchmarks and evaluations behind `onrust bench ...` and `onrust eval ...`."""
