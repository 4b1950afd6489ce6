using BenchmarkDotNet.Running;

// Runs the benchmarks chosen on the command line, for example:
//   dotnet run -c Release --project benchmarks/KeyInfra.Benchmarks -- --filter '*Ed25519*' --job short
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
