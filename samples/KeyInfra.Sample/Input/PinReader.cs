using System.Security.Cryptography;
using System.Text;

namespace KeyInfra.Sample.Input;

/// <summary>
/// Reads an HSM user PIN from an environment variable, from standard input, or from the terminal without echo; never
/// from a command-line argument (arguments show in <c>ps</c> and in the shell history). The PIN comes back as UTF-8
/// bytes for the caller to zero; it is never printed, and error messages name where it was looked for, not its value.
/// </summary>
internal static class PinReader
{
    /// <summary>The longest PIN accepted, in UTF-8 bytes (PKCS#11 tokens take far shorter ones; the limit stops a runaway stream).</summary>
    public const int MaxPinBytes = 256;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The PIN from the variable named <paramref name="variable"/>.</summary>
    public static byte[] FromEnvironment(string variable)
    {
        if (!IsVariableName(variable))
        {
            // Not echoed: someone who typed the PIN here by mistake must not see it printed (or logged by a CI runner).
            throw new UsageException("--pin-env takes the name of an environment variable (letters, digits and '_', not starting with a digit), such as KEYINFRA_HSM_PIN, never the PIN itself.");
        }

        var value = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrEmpty(value))
        {
            throw new UsageException($"--pin-env: the environment variable {variable} is not set or is empty. Set it to the token's user PIN for this command only (for example: read -rs {variable} && export {variable}).");
        }

        try
        {
            return Check(StrictUtf8.GetBytes(value), $"The PIN in {variable}");
        }
        catch (EncoderFallbackException)
        {
            throw new UsageException($"The PIN in {variable} is not valid text.");
        }
    }

    /// <summary>The PIN from the first line of <paramref name="input"/> (a trailing line break is not part of it).</summary>
    public static async Task<byte[]> FromStreamAsync(Stream input, CancellationToken cancellationToken)
    {
        // One line at most MaxPinBytes long, plus its line break; nothing after the first line is read on purpose.
        var buffer = new byte[MaxPinBytes + 2];
        try
        {
            var length = 0;
            var lineEnd = -1;
            while (lineEnd < 0 && length < buffer.Length)
            {
                var read = await input.ReadAsync(buffer.AsMemory(length), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                lineEnd = Array.IndexOf(buffer, (byte)'\n', length, read);
                length += read;
            }

            var end = lineEnd >= 0 ? lineEnd : length;
            if (end > 0 && buffer[end - 1] == (byte)'\r')
            {
                end--;
            }

            if (end > MaxPinBytes)
            {
                throw new UsageException($"The PIN on standard input is longer than {MaxPinBytes} bytes; give the PIN alone on the first line.");
            }

            if (end == 0)
            {
                throw new UsageException("--pin-stdin: standard input holds no PIN. Pipe the PIN in on one line (for example from a secret store), or use --pin-env <VARIABLE>.");
            }

            return Check(buffer.AsSpan(0, end).ToArray(), "The PIN on standard input");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer);
        }
    }

    /// <summary>The PIN typed at the terminal, nothing echoed; the prompt goes to <paramref name="prompt"/> (stderr).</summary>
    public static byte[] FromTerminal(TextWriter prompt, string what)
    {
        prompt.Write($"User PIN for {what} (not echoed): ");
        prompt.Flush();
        var chars = new char[MaxPinBytes];
        var length = 0;
        try
        {
            while (true)
            {
                var key = Console.ReadKey(intercept: true);
                if (key.Key == ConsoleKey.Enter)
                {
                    break;
                }

                if (key.Key == ConsoleKey.Backspace)
                {
                    length = Math.Max(0, length - 1);
                    continue;
                }

                if (char.IsControl(key.KeyChar))
                {
                    // Arrow keys, Tab, Escape…: not part of a PIN.
                    continue;
                }

                if (length == chars.Length)
                {
                    throw new UsageException($"The PIN is longer than {MaxPinBytes} characters.");
                }

                chars[length++] = key.KeyChar;
            }

            prompt.WriteLine();
            if (length == 0)
            {
                throw new UsageException("No PIN was typed.");
            }

            return Check(StrictUtf8.GetBytes(chars, 0, length), "The PIN typed");
        }
        catch (EncoderFallbackException)
        {
            throw new UsageException("The PIN typed is not valid text.");
        }
        finally
        {
            Array.Clear(chars);
        }
    }

    private static byte[] Check(byte[] pin, string what)
    {
        try
        {
            if (pin.Length > MaxPinBytes)
            {
                throw new UsageException($"{what} is longer than {MaxPinBytes} bytes.");
            }

            // A PKCS#11 PIN is UTF-8 text; a control character is a paste or line-ending accident, not part of a PIN.
            // Checked rune by rune, so no string copy of the PIN is made (a string cannot be zeroed).
            ReadOnlySpan<byte> rest = pin;
            while (!rest.IsEmpty)
            {
                if (Rune.DecodeFromUtf8(rest, out var rune, out var consumed) != System.Buffers.OperationStatus.Done)
                {
                    throw new UsageException($"{what} is not UTF-8 text.");
                }

                if (Rune.IsControl(rune))
                {
                    throw new UsageException($"{what} contains a control character (a tab, a line break, …); give the PIN alone.");
                }

                rest = rest[consumed..];
            }

            return pin;
        }
        catch
        {
            CryptographicOperations.ZeroMemory(pin);
            throw;
        }
    }

    private static bool IsVariableName(string name)
        => name.Length is > 0 and <= 255 && !char.IsAsciiDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
