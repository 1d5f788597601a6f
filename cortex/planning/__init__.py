"""Planning a request into packages: splitting, exact/alias resolution, absent software, model choice.

Everything here is pure given an index, a package manager and a router; cortex.planner ties it together.
"""
