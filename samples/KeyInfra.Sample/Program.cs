using KeyInfra.Sample;

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // The first Ctrl+C stops the command gracefully (the log is flushed); a second one ends the process.
    e.Cancel = !cancellation.IsCancellationRequested;
    cancellation.Cancel();
};

return await SampleApp.RunConsoleAsync(args, cancellation.Token);
