"""The build and developer scripts: policy/ compiles the policy, pages/ generates the pages' fragments and forms,
assets/ makes what the site ships beside its pages, dev/ holds the tools; site_build.py is the one build command."""
