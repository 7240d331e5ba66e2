"""Developer tools: the preview and static server, make check, the benchmark, browsers and web servers."""
