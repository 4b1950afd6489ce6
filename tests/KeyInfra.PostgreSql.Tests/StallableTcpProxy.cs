using System.Net;
using System.Net.Sockets;

namespace KeyInfra.PostgreSql.Tests;

/// <summary>
/// A TCP proxy on loopback in front of the test server whose existing connections can be stalled: their bytes are
/// read and never forwarded, in either direction, while both sockets stay open, as on a half-open connection or a
/// network path that went silent. Connections made after the stall pass normally.
/// </summary>
internal sealed class StallableTcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _targetHost;
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _lock = new();
    private readonly List<Connection> _connections = [];
    private readonly Task _accepting;

    public StallableTcpProxy(string targetHost, int targetPort)
    {
        _targetHost = targetHost;
        _targetPort = targetPort;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    public int Port { get; }

    /// <summary>How many connections the proxy has accepted.</summary>
    public int Accepted
    {
        get
        {
            lock (_lock)
            {
                return _connections.Count;
            }
        }
    }

    /// <summary>Stalls every connection open now; later ones pass.</summary>
    public void StallExisting()
    {
        lock (_lock)
        {
            foreach (var connection in _connections)
            {
                connection.Stalled = true;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        lock (_lock)
        {
            foreach (var connection in _connections)
            {
                connection.Dispose();
            }
        }

        try
        {
            await _accepting;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            var server = new TcpClient();
            await server.ConnectAsync(_targetHost, _targetPort, _stop.Token);
            var connection = new Connection(client, server);
            lock (_lock)
            {
                _connections.Add(connection);
            }

            _ = connection.RunAsync(_stop.Token);
        }
    }

    private sealed class Connection(TcpClient client, TcpClient server) : IDisposable
    {
        private volatile bool _stalled;

        public bool Stalled
        {
            get => _stalled;
            set => _stalled = value;
        }

        public async Task RunAsync(CancellationToken stop)
        {
            try
            {
                await Task.WhenAll(PumpAsync(client.GetStream(), server.GetStream(), stop), PumpAsync(server.GetStream(), client.GetStream(), stop));
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
            {
            }
            finally
            {
                Dispose();
            }
        }

        public void Dispose()
        {
            client.Dispose();
            server.Dispose();
        }

        private async Task PumpAsync(NetworkStream from, NetworkStream to, CancellationToken stop)
        {
            var buffer = new byte[16 * 1024];
            while (true)
            {
                if (_stalled)
                {
                    // Silent from here on: nothing is read, nothing forwarded, nothing closed.
                    await Task.Delay(Timeout.Infinite, stop);
                }

                var read = await from.ReadAsync(buffer, stop);
                if (read == 0)
                {
                    to.Socket.Shutdown(SocketShutdown.Send);
                    return;
                }

                if (_stalled)
                {
                    await Task.Delay(Timeout.Infinite, stop);
                }

                await to.WriteAsync(buffer.AsMemory(0, read), stop);
            }
        }
    }
}
