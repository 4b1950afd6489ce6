using System.Diagnostics;
using System.Diagnostics.Metrics;
using KeyInfra.Diagnostics;
using KeyInfra.Keys;
using KeyInfra.PostgreSql.Notifications;
using KeyInfra.Signing;
using KeyInfra.Verification;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace KeyInfra.PostgreSql.Tests;

/// <summary>
/// The key change listener after its connection is lost: cut from the server side (<c>pg_terminate_backend</c>) and
/// blocked silently (a stalled TCP proxy between the listener and the server, which no error reveals; only the
/// heartbeat does). After each, revocations made by another instance reach this one's cache again: those made while
/// the connection was down (every key was dropped) and those made after (heard on the new connection). Keys stay cached
/// for an hour, so nothing but the listener can make the instance notice. Waits are bounded and on the listener's own
/// progress; nothing asserts speed.
/// </summary>
[TestClass]
public sealed class KeyChangeListenerTests
{
    private static readonly byte[] s_document = "listener test document"u8.ToArray();
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(30);

    [TestMethod]
    public async Task BackendTerminated_ListenerReconnectsAndRevocationsReachTheCache()
    {
        // Arrange
        await using var database = await PostgreSqlTestDatabase.CreateAsync();
        var masterKey = PostgreSqlTestHost.NewMasterKey();
        await using var here = await StartListeningAsync(database.AppConnectionString, masterKey);
        await using var other = await StartWriterAsync(database, masterKey);
        using var resets = new MetricCollector<long>(here.Get<IMeterFactory>(), KeyInfraInstruments.MeterName, KeyInfraInstruments.KeyChangeResets);
        var listener = here.Get<KeyChangeListener>();
        var revokedWhileDown = await CreateUsedAsync(here, other);
        var revokedAfter = await CreateUsedAsync(here, other);

        // Act: the server ends the listener's session.
        var killed = await database.AdminScalarAsync<long>(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%'");
        await other.Get<IKeyStore>().RevokeAsync(revokedWhileDown.KeyId, RevocationReason.KeyCompromise);
        await WaitUntilAsync(() => listener.Connections >= 2 && listener.IsListening, "the listener to reconnect");
        await VerifyAsync(here, revokedAfter);
        await other.Get<IKeyStore>().RevokeAsync(revokedAfter.KeyId, RevocationReason.KeyCompromise);

        // Assert
        Assert.AreEqual(1L, killed);
        await WaitForStatusAsync(here, revokedWhileDown, VerificationStatus.KeyRevoked);
        await WaitForStatusAsync(here, revokedAfter, VerificationStatus.KeyRevoked);
        var reasons = resets.GetMeasurementSnapshot().Select(m => (string?)m.Tags[KeyInfraInstruments.KeyChangeResetReasonTag]).ToList();
        CollectionAssert.Contains(reasons, "connection_lost", string.Join(", ", reasons));
    }

    [TestMethod]
    public async Task ConnectionStalled_HeartbeatMissedThenReconnectsAndRevocationsReachTheCache()
    {
        // Arrange: this instance reaches the server only through the proxy; the other one directly.
        await using var database = await PostgreSqlTestDatabase.CreateAsync();
        var direct = new NpgsqlConnectionStringBuilder(database.AppConnectionString);
        await using var proxy = new StallableTcpProxy(direct.Host!, direct.Port);
        var proxied = new NpgsqlConnectionStringBuilder(database.AppConnectionString) { Port = proxy.Port }.ConnectionString;
        var masterKey = PostgreSqlTestHost.NewMasterKey();
        await using var here = await StartListeningAsync(proxied, masterKey);
        await using var other = await StartWriterAsync(database, masterKey);
        using var resets = new MetricCollector<long>(here.Get<IMeterFactory>(), KeyInfraInstruments.MeterName, KeyInfraInstruments.KeyChangeResets);
        var listener = here.Get<KeyChangeListener>();
        var revokedWhileStalled = await CreateUsedAsync(here, other);
        var revokedAfter = await CreateUsedAsync(here, other);
        await WaitUntilAsync(() => listener.HeartbeatsHeard >= 1, "a first heartbeat");

        // Act: the listener's connection goes silent, with no error on either side; a revocation's NOTIFY is then lost.
        proxy.StallExisting();
        await other.Get<IKeyStore>().RevokeAsync(revokedWhileStalled.KeyId, RevocationReason.KeyCompromise);
        await WaitUntilAsync(() => listener.Connections >= 2 && listener.IsListening, "the listener to notice the stall and reconnect");
        await VerifyAsync(here, revokedAfter);
        await other.Get<IKeyStore>().RevokeAsync(revokedAfter.KeyId, RevocationReason.KeyCompromise);

        // Assert
        await WaitForStatusAsync(here, revokedWhileStalled, VerificationStatus.KeyRevoked);
        await WaitForStatusAsync(here, revokedAfter, VerificationStatus.KeyRevoked);
        var reasons = resets.GetMeasurementSnapshot().Select(m => (string?)m.Tags[KeyInfraInstruments.KeyChangeResetReasonTag]).ToList();
        CollectionAssert.Contains(reasons, "heartbeat_missed", string.Join(", ", reasons));
    }

    [TestMethod]
    public async Task OwnDataSource_TcpKeepaliveOnUnlessTheConnectionStringSetsIt()
    {
        await using var database = await PostgreSqlTestDatabase.CreateAsync(migrate: false);
        await using var defaults = database.BuildServices();
        await using var own = database.BuildServices(database.AppConnectionString + ";Tcp Keepalive Time=7");

        var applied = new NpgsqlConnectionStringBuilder(defaults.GetRequiredService<Connection.PostgreSqlDataSource>().DataSource.ConnectionString);
        var kept = new NpgsqlConnectionStringBuilder(own.GetRequiredService<Connection.PostgreSqlDataSource>().DataSource.ConnectionString);

        Assert.AreEqual(Connection.PostgreSqlConnectionSettings.TcpKeepAliveTimeSeconds, applied.TcpKeepAliveTime);
        Assert.AreEqual(Connection.PostgreSqlConnectionSettings.TcpKeepAliveIntervalSeconds, applied.TcpKeepAliveInterval);
        Assert.AreEqual(7, kept.TcpKeepAliveTime);
    }

    private static async Task<PostgreSqlTestHost> StartListeningAsync(string connectionString, string masterKey)
    {
        var host = await PostgreSqlTestHost.StartAsync(connectionString, masterKey, CacheForAnHour, storage: pg =>
        {
            pg.NotificationReconnectDelay = TimeSpan.FromMilliseconds(50);
            pg.NotificationHeartbeatInterval = TimeSpan.FromMilliseconds(200);
            pg.NotificationHeartbeatTimeout = TimeSpan.FromMilliseconds(500);
        });
        await host.Get<KeyChangeListener>().Listening.WaitAsync(s_deadline);
        return host;
    }

    // Another instance that only writes (it does not listen, so the only LISTEN session in the database is the other host's).
    private static Task<PostgreSqlTestHost> StartWriterAsync(PostgreSqlTestDatabase database, string masterKey)
        => PostgreSqlTestHost.StartAsync(database.AppConnectionString, masterKey, CacheForAnHour, storage: pg => pg.ListenForKeyChanges = false);

    private static void CacheForAnHour(KeyInfraOptions o)
    {
        o.KeyCache.TimeToLive = TimeSpan.FromHours(1);
        o.KeyCache.SigningKeyTimeToLive = TimeSpan.FromHours(1);
        o.VerificationLog.Mode = LogMode.Off;
    }

    private static async Task<VerificationRequest> CreateUsedAsync(PostgreSqlTestHost here, PostgreSqlTestHost other)
    {
        var key = await other.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "listened for"));
        var signature = (await other.Get<ISigner>().SignAsync(new SignRequest(key.Id, s_document))).Signature;
        var request = new VerificationRequest(key.Id, s_document, signature);
        await VerifyAsync(here, request);
        return request;
    }

    // Caches the key here (a valid verification).
    private static async Task VerifyAsync(PostgreSqlTestHost host, VerificationRequest request)
        => Assert.AreEqual(VerificationStatus.Valid, (await host.Get<IVerifier>().VerifyAsync(request)).Status);

    private static async Task WaitForStatusAsync(PostgreSqlTestHost host, VerificationRequest request, VerificationStatus expected)
    {
        var clock = Stopwatch.StartNew();
        VerificationStatus status;
        while ((status = (await host.Get<IVerifier>().VerifyAsync(request)).Status) != expected)
        {
            if (clock.Elapsed > s_deadline)
            {
                Assert.Fail($"Still {status} {clock.Elapsed.TotalSeconds:F0} s after the change; expected {expected}.");
            }

            await Task.Delay(20);
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > s_deadline)
            {
                Assert.Fail($"Gave up waiting for {what}.");
            }

            await Task.Delay(10);
        }
    }
}
