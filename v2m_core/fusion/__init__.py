"""Built-in fusion strategies; torch is imported only when a module is built."""
