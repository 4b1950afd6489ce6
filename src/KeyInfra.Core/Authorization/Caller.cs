using System.Net;

namespace KeyInfra.Authorization;

/// <summary>
/// Who is calling KeyInfra, and from where: a user, an application or the system itself, with a stable id,
/// an optional display name, and optionally the network address or request id the call came with.
/// </summary>
/// <remarks>
/// <para>
/// The host creates one per request (from its authenticated principal) and sets it with
/// <see cref="AsyncLocalCallerContext.Use"/>; KeyInfra hands it to <see cref="IKeyInfraAuthorizer"/> and records
/// <see cref="StableId"/> and <see cref="DisplayName"/> in the verification log.
/// </para>
/// <para>
/// Every string is checked when the caller is created: at most <see cref="MaxLength"/> characters, not only white
/// space, no control characters (so a caller cannot forge lines in a log) and no unpaired UTF-16 surrogates (which
/// a database cannot store). A caller is immutable and thread-safe. It holds identifiers, never credentials:
/// do not put a token, password or secret in any of its fields.
/// </para>
/// </remarks>
public sealed class Caller
{
    /// <summary>The longest <see cref="StableId"/>, <see cref="DisplayName"/> or <see cref="RequestId"/>, in UTF-16 characters.</summary>
    public const int MaxLength = 200;

    /// <summary>Creates a caller.</summary>
    /// <param name="kind">What kind of principal it is.</param>
    /// <param name="id">The principal's id in the host's identity system (a user's subject, an application's client id); stable across sessions.</param>
    /// <param name="displayName">A name for people reading the log, such as a user's name; recorded as the caller when a request names none.</param>
    /// <param name="remoteAddress">The network address the request came from, when the host knows it.</param>
    /// <param name="requestId">The host's id of the request (a trace or correlation id), when it has one.</param>
    /// <exception cref="ArgumentException">A value is empty, too long, or holds control characters or unpaired surrogates.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="kind"/> is not a defined value.</exception>
    public Caller(CallerKind kind, string id, string? displayName = null, IPAddress? remoteAddress = null, string? requestId = null)
    {
        var prefix = kind switch
        {
            CallerKind.User => "user:",
            CallerKind.Application => "app:",
            CallerKind.System => "system:",
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a caller kind."),
        };
        ArgumentNullException.ThrowIfNull(id);
        CallerText.Check(id, MaxLength - prefix.Length, "A caller id", nameof(id));
        CallerText.Check(displayName, MaxLength, "A caller's display name", nameof(displayName));
        CallerText.Check(requestId, MaxLength, "A request id", nameof(requestId));

        Kind = kind;
        Id = id;
        StableId = prefix + id;
        DisplayName = displayName;
        RemoteAddress = remoteAddress;
        RequestId = requestId;
    }

    /// <summary>A person signed in to the host, such as <c>Caller.ForUser(subject, name)</c>.</summary>
    /// <exception cref="ArgumentException">The id or display name is empty, too long, or holds control characters or unpaired surrogates.</exception>
    public static Caller ForUser(string id, string? displayName = null) => new(CallerKind.User, id, displayName);

    /// <summary>An application calling the host with its own credentials.</summary>
    /// <exception cref="ArgumentException">The id or display name is empty, too long, or holds control characters or unpaired surrogates.</exception>
    public static Caller ForApplication(string id, string? displayName = null) => new(CallerKind.Application, id, displayName);

    /// <summary>The host itself: a background job, a migration, an operator's command line.</summary>
    /// <exception cref="ArgumentException">The id or display name is empty, too long, or holds control characters or unpaired surrogates.</exception>
    public static Caller ForSystem(string id, string? displayName = null) => new(CallerKind.System, id, displayName);

    /// <summary>What kind of principal this is.</summary>
    public CallerKind Kind { get; }

    /// <summary>The principal's id as the host gave it, without the kind prefix.</summary>
    public string Id { get; }

    /// <summary>
    /// The id recorded in the log and matched by authorizers: the kind and the id, such as <c>user:4f1c…</c>,
    /// <c>app:billing</c> or <c>system:nightly-rotation</c>; at most <see cref="MaxLength"/> characters.
    /// </summary>
    public string StableId { get; }

    /// <summary>A name for people reading the log; <c>null</c> if the host gave none.</summary>
    public string? DisplayName { get; }

    /// <summary>The network address the call came from; <c>null</c> if unknown. Not recorded in the verification log.</summary>
    public IPAddress? RemoteAddress { get; }

    /// <summary>The host's id of the request; <c>null</c> if none. Not recorded in the verification log.</summary>
    public string? RequestId { get; }

    /// <summary>The same caller, with where the call came from.</summary>
    /// <exception cref="ArgumentException"><paramref name="requestId"/> is empty, too long, or holds control characters or unpaired surrogates.</exception>
    public Caller WithOrigin(IPAddress? remoteAddress, string? requestId = null) => new(Kind, Id, DisplayName, remoteAddress, requestId);

    /// <summary>The <see cref="StableId"/>.</summary>
    public override string ToString() => StableId;
}
