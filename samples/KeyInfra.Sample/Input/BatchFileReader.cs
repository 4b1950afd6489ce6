using System.Text;
using System.Text.Json;
using KeyInfra.Verification;

namespace KeyInfra.Sample.Input;

/// <summary>
/// Reads a <c>verify-batch</c> file: JSON Lines, one request object per line,
/// <c>{"keyId":"…","data":"&lt;base64&gt;","signature":"&lt;base64&gt;"}</c> or with <c>"text":"…"</c> instead of <c>data</c>.
/// Strict: the whole file is checked before anything is verified, and the first bad line is reported by number.
/// </summary>
internal static class BatchFileReader
{
    /// <summary>The largest batch file read.</summary>
    public const int MaxFileBytes = 64 * 1024 * 1024;

    /// <summary>The most requests in one file (KeyInfra's default <c>MaxBatchRequests</c>).</summary>
    public const int MaxRequests = 100_000;

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = 2,
    };

    /// <summary>One request per line, in order; blank lines (such as a final newline) are skipped.</summary>
    public static IReadOnlyList<BatchLine> Read(string path, string workingDirectory)
    {
        var content = InputParser.ReadFile(path, workingDirectory, "--file", MaxFileBytes);
        var requests = new List<BatchLine>();
        var lineNumber = 0;
        var start = 0;
        while (start <= content.Length)
        {
            var end = Array.IndexOf(content, (byte)'\n', start);
            if (end < 0)
            {
                end = content.Length;
            }

            lineNumber++;
            var line = content.AsMemory(start, end - start);
            if (line.Length > 0 && line.Span[^1] == (byte)'\r')
            {
                line = line[..^1];
            }

            if (!IsBlank(line.Span))
            {
                if (requests.Count == MaxRequests)
                {
                    throw new UsageException($"{path}, line {lineNumber}: a batch holds at most {MaxRequests} requests; split the file.");
                }

                requests.Add(new BatchLine(lineNumber, ParseLine(line, path, lineNumber)));
            }

            start = end + 1;
        }

        if (requests.Count == 0)
        {
            throw new UsageException($"{path} holds no requests: write one JSON object per line, such as {{\"keyId\":\"…\",\"text\":\"…\",\"signature\":\"<base64>\"}}.");
        }

        return requests;
    }

    private static VerificationRequest ParseLine(ReadOnlyMemory<byte> line, string path, int lineNumber)
    {
        try
        {
            return ParseObject(line);
        }
        catch (UsageException e)
        {
            throw new UsageException($"{path}, line {lineNumber}: {e.Message} Nothing was verified.", e);
        }
        catch (JsonException e)
        {
            throw new UsageException($"{path}, line {lineNumber}: not valid JSON ({e.Message.Split(" Path:")[0].Split(" LineNumber:")[0].TrimEnd()}). Nothing was verified.", e);
        }
    }

    private static VerificationRequest ParseObject(ReadOnlyMemory<byte> line)
    {
        using var document = JsonDocument.Parse(line, DocumentOptions);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new UsageException("each line must be a JSON object with \"keyId\", \"data\" or \"text\", and \"signature\".");
        }

        string? keyId = null, data = null, text = null, signature = null;
        foreach (var property in document.RootElement.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.String)
            {
                throw new UsageException($"\"{InputParser.Shorten(property.Name)}\" must be a JSON string.");
            }

            var value = property.Value.GetString()!;
            switch (property.Name)
            {
                case "keyId" when keyId is null:
                    keyId = value;
                    break;
                case "data" when data is null:
                    data = value;
                    break;
                case "text" when text is null:
                    text = value;
                    break;
                case "signature" when signature is null:
                    signature = value;
                    break;
                case "keyId" or "data" or "text" or "signature":
                    throw new UsageException($"\"{property.Name}\" appears twice.");
                default:
                    throw new UsageException($"unknown property \"{InputParser.Shorten(property.Name)}\"; a line has only \"keyId\", \"data\" or \"text\", and \"signature\".");
            }
        }

        if (keyId is null || signature is null)
        {
            throw new UsageException($"\"{(keyId is null ? "keyId" : "signature")}\" is missing.");
        }

        if ((data is null) == (text is null))
        {
            throw new UsageException("give the document either as \"data\" (Base64) or as \"text\", exactly one of them.");
        }

        var id = InputParser.ParseKeyId(keyId, "\"keyId\"");
        var signed = data is not null
            ? InputParser.ParseBase64(data, "\"data\"", InputParser.MaxDocumentBytes)
            : Encoding.UTF8.GetBytes(text!);
        var signatureBytes = InputParser.ParseBase64(signature, "\"signature\"", InputParser.MaxSignatureBytes);
        return new VerificationRequest(id, signed, signatureBytes) { Caller = "keyinfra-sample" };
    }

    private static bool IsBlank(ReadOnlySpan<byte> line)
    {
        foreach (var b in line)
        {
            if (b is not ((byte)' ' or (byte)'\t'))
            {
                return false;
            }
        }

        return true;
    }
}
