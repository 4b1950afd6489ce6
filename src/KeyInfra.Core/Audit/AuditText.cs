namespace KeyInfra.Audit;

/// <summary>The checks of what an audit record may hold, and the actions of operations.</summary>
internal static class AuditText
{
    /// <summary>The longest stored reason, in characters (longer ones are cut).</summary>
    public const int MaxReasonLength = 400;

    /// <summary>The longest stored network address (an IPv6 address with a zone fits).</summary>
    public const int MaxAddressLength = 64;

    /// <summary>A count as a state value (invariant digits).</summary>
    public static string Count(long value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The data-plane action of an operation: its name in snake case (<c>GetKey</c> is <c>get_key</c>).</summary>
    public static string ActionOf(Authorization.KeyInfraOperation operation) => operation switch
    {
        Authorization.KeyInfraOperation.CreateKey => "create_key",
        Authorization.KeyInfraOperation.ImportKey => "import_key",
        Authorization.KeyInfraOperation.GetKey => "get_key",
        Authorization.KeyInfraOperation.ListKeys => "list_keys",
        Authorization.KeyInfraOperation.RotateKey => "rotate_key",
        Authorization.KeyInfraOperation.RevokeKey => "revoke_key",
        Authorization.KeyInfraOperation.ExpireKey => "expire_key",
        Authorization.KeyInfraOperation.DeleteKey => "delete_key",
        Authorization.KeyInfraOperation.ExportPublicKey => "export_public_key",
        Authorization.KeyInfraOperation.Sign => "sign",
        Authorization.KeyInfraOperation.Verify => "verify",
        Authorization.KeyInfraOperation.ReadLog => "read_log",
        Authorization.KeyInfraOperation.ManageUsers => "manage_users",
        Authorization.KeyInfraOperation.ManageHsm => "manage_hsm",
        Authorization.KeyInfraOperation.ReadAudit => "read_audit",
        Authorization.KeyInfraOperation.ManageCurves => "manage_curves",
        Authorization.KeyInfraOperation.ManageMasterKeys => "manage_master_keys",
        Authorization.KeyInfraOperation.ManageCertificateAuthorities => "manage_certificate_authorities",
        Authorization.KeyInfraOperation.ReadCertificateAuthorities => "read_certificate_authorities",
        Authorization.KeyInfraOperation.IssueCertificate => "issue_certificate",
        Authorization.KeyInfraOperation.ReadCertificates => "read_certificates",
        Authorization.KeyInfraOperation.RenewCertificate => "renew_certificate",
        Authorization.KeyInfraOperation.RevokeCertificate => "revoke_certificate",
        Authorization.KeyInfraOperation.ExportCertificate => "export_certificate",
        Authorization.KeyInfraOperation.MaintainCertificates => "maintain_certificates",
        _ => "operation_" + ((int)operation).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>Checks a change before anything is queued: a bad one fails its caller, never the group commit it would share.</summary>
    /// <exception cref="ArgumentException">The change is not well formed.</exception>
    public static void Validate(AuditChange change, string paramName)
    {
        ArgumentNullException.ThrowIfNull(change, paramName);
        Name(change.Action, AuditChange.MaxActionLength, "action", allowDots: true, paramName);
        Name(change.TargetType, AuditChange.MaxTargetTypeLength, "target type", allowDots: false, paramName);
        Authorization.CallerText.Check(change.TargetId, AuditChange.MaxTargetIdLength, "An audit target id", paramName);
        State(change.Before, "before", paramName);
        State(change.After, "after", paramName);
    }

    /// <summary>Text fit to store: control characters (NUL among them) as '?', unpaired surrogates as U+FFFD, at most <paramref name="maxLength"/> characters.</summary>
    public static string? Storable(string? text, int maxLength)
    {
        if (text is null)
        {
            return null;
        }

        var chars = text.Length > maxLength ? text.AsSpan(0, maxLength).ToArray() : text.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (char.IsHighSurrogate(chars[i]) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(chars[i]))
            {
                chars[i] = '\uFFFD';
            }
            else if (char.IsControl(chars[i]))
            {
                chars[i] = '?';
            }
        }

        return new string(chars);
    }

    private static void Name(string? value, int maxLength, string what, bool allowDots, string paramName)
    {
        if (string.IsNullOrEmpty(value) || value.Length > maxLength)
        {
            throw new ArgumentException($"An audit {what} is 1–{maxLength} characters.", paramName);
        }

        foreach (var c in value)
        {
            if (!(c is >= 'a' and <= 'z' or >= '0' and <= '9' or '_' || (allowDots && c is '.' or '-')))
            {
                throw new ArgumentException($"An audit {what} holds only lowercase letters, digits, '_'{(allowDots ? ", '.' and '-'" : string.Empty)}; '{Authorization.CallerText.Printable(value)}' does not.", paramName);
            }
        }
    }

    private static void State(IReadOnlyDictionary<string, string?>? state, string which, string paramName)
    {
        if (state is null)
        {
            return;
        }

        if (state.Count > AuditChange.MaxFields)
        {
            throw new ArgumentException($"An audit {which} state has at most {AuditChange.MaxFields} fields; this one has {state.Count}.", paramName);
        }

        foreach (var (name, value) in state)
        {
            if (string.IsNullOrEmpty(name) || name.Length > AuditChange.MaxFieldLength || (value?.Length ?? 0) > AuditChange.MaxFieldLength)
            {
                throw new ArgumentException($"The fields of an audit {which} state have names of 1–{AuditChange.MaxFieldLength} characters and values of at most {AuditChange.MaxFieldLength}.", paramName);
            }
        }
    }
}
