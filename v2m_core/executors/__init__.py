"""Built-in executors: run independent work items serially or in a process pool."""
