using KeyInfra.Authorization;

namespace KeyInfra.Sample.Hosting;

/// <summary>
/// Who the sample's calls run as: the caller set with <see cref="AsyncLocalCallerContext.Use"/> (the demo acts as a user for
/// a while), otherwise the operator at the command line, a system caller (<c>system:keyinfra-cli</c>) who may do anything.
/// </summary>
/// <remarks>A web host would instead set a user or application caller per request, and never default to a system caller.</remarks>
internal sealed class CliCallerContext(AsyncLocalCallerContext inner) : ICallerContext
{
    public static Caller Operator { get; } = Caller.ForSystem("keyinfra-cli", "the sample's command line");

    public Caller? Current => inner.Current ?? Operator;
}
