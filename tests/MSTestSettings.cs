// Test classes run in parallel; each uses its own SQLite file or key objects.
[assembly: Parallelize(Scope = ExecutionScope.ClassLevel)]
