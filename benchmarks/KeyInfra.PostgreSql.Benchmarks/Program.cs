using BenchmarkDotNet.Running;

// Needs a PostgreSQL server with the test roles; the test provisioning script makes one:
//   source tests/provision-postgresql.sh && keyinfra_pg_start
//   dotnet run -c Release --project benchmarks/KeyInfra.PostgreSql.Benchmarks -- --filter '*'
//   keyinfra_pg_stop
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
