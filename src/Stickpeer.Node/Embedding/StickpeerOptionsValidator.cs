// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Text;
using Stickpeer.Node.Configuration;

namespace Stickpeer.Node.Embedding;

/// <summary>Checks <see cref="StickpeerOptions"/> and turns options declared in code into HAProxy configuration text.</summary>
internal static class StickpeerOptionsValidator
{
    /// <summary>The file name configuration errors of options declared in code point at.</summary>
    public const string CodeSourceName = "StickpeerOptions";

    public static IReadOnlyList<string> Validate(StickpeerOptions o)
    {
        var errors = new List<string>();
        var fromConfig = o.ConfigFile is not null || o.ConfigText is not null;
        if (o.ConfigFile is not null && o.ConfigText is not null)
        {
            errors.Add("set ConfigFile or ConfigText, not both");
        }

        if (o.ChangeBufferCapacity < 1)
        {
            errors.Add($"ChangeBufferCapacity must be at least 1 (is {o.ChangeBufferCapacity})");
        }

        if (o.ShutdownTimeout < TimeSpan.Zero)
        {
            errors.Add("ShutdownTimeout must not be negative");
        }

        if (o.LocalPeerName is not null && !IsName(o.LocalPeerName))
        {
            errors.Add($"LocalPeerName '{o.LocalPeerName}' must be a non-empty name without spaces");
        }

        if (fromConfig)
        {
            if (o.Bind is not null || o.Peers.Count > 0 || o.Tables.Count > 0 || o.Tls is not null)
            {
                errors.Add("with ConfigFile/ConfigText, declare Bind, Peers, Tables and Tls in the configuration, not in code");
            }

            return errors;
        }

        ValidateCode(o, errors);
        return errors;
    }

    private static void ValidateCode(StickpeerOptions o, List<string> errors)
    {
        if (o.LocalPeerName is null)
        {
            errors.Add("LocalPeerName is required (the name the peers section gives this node)");
        }

        if (!IsName(o.PeersSection))
        {
            errors.Add($"PeersSection '{o.PeersSection}' must be a non-empty name without spaces");
        }

        if (o.Bind is null)
        {
            errors.Add("Bind is required (host:port this node listens on for peers), or set ConfigFile/ConfigText");
        }
        else if (!ConfigEndpoint.TryParse(o.Bind, out _, out var bindError))
        {
            errors.Add($"Bind '{o.Bind}': {bindError}");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        if (o.LocalPeerName is not null)
        {
            names.Add(o.LocalPeerName);
        }

        foreach (var peer in o.Peers)
        {
            if (peer is null || !IsName(peer.Name))
            {
                errors.Add($"Peers: '{peer?.Name}' must be a non-empty name without spaces");
                continue;
            }

            if (!names.Add(peer.Name))
            {
                errors.Add($"Peers: '{peer.Name}' is declared twice (or is the local peer's name)");
            }

            if (peer.Address is null)
            {
                errors.Add($"Peers: '{peer.Name}' has no address");
            }
            else if (!ConfigEndpoint.TryParse(peer.Address, out _, out var error))
            {
                errors.Add($"Peers: '{peer.Name}' address '{peer.Address}': {error}");
            }
        }

        if (o.Tables.Count == 0)
        {
            errors.Add("Tables: declare at least one table");
        }

        var tables = new HashSet<string>(StringComparer.Ordinal);
        foreach (var table in o.Tables)
        {
            if (table is null || !IsName(table.Name))
            {
                errors.Add($"Tables: '{table?.Name}' must be a non-empty name without spaces");
                continue;
            }

            if (!tables.Add(table.Name))
            {
                errors.Add($"Tables: '{table.Name}' is declared twice");
            }

            if (DeclarationError(table) is { } error)
            {
                errors.Add($"Tables: '{table.Name}': {error}");
            }
        }

        if (o.Tls is { } tls && string.IsNullOrWhiteSpace(tls.CertificateFile))
        {
            errors.Add("Tls.CertificateFile is required with Tls");
        }
    }

    /// <summary>The HAProxy configuration equivalent to options declared in code (already validated).</summary>
    public static string ToConfigText(StickpeerOptions o)
    {
        var text = new StringBuilder();
        text.Append("peers ").Append(o.PeersSection).Append('\n');
        if (o.Tls is { } tls)
        {
            var verify = tls.CaFile is null ? " verify none" : $" ca-file {tls.CaFile} verify required";
            text.Append("  default-bind ssl crt ").Append(tls.CertificateFile).Append(verify).Append('\n');
            text.Append("  default-server ssl crt ").Append(tls.CertificateFile).Append(verify).Append('\n');
        }

        text.Append("  bind ").Append(o.Bind).Append('\n');
        text.Append("  server ").Append(o.LocalPeerName).Append('\n');
        foreach (var peer in o.Peers)
        {
            text.Append("  server ").Append(peer.Name).Append(' ').Append(peer.Address).Append('\n');
        }

        foreach (var table in o.Tables)
        {
            text.Append("  table ").Append(table.Name).Append(' ').Append(table.Declaration).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>Why a table declaration is refused, checked alone by the configuration parser (the same rules as in a file).</summary>
    private static string? DeclarationError(StickpeerTableDeclaration table)
    {
        try
        {
            var parser = new ConfigParser(static _ => null);
            parser.ParseText(CodeSourceName, $"peers check\n  bind 127.0.0.1:1\n  server check\n  table {table.Name} {table.Declaration}\n");
            _ = parser.Build("check", "check");
            return null;
        }
        catch (ConfigurationException ex)
        {
            return ex.Reason.Length > 0 ? ex.Reason : ex.Message;
        }
    }

    private static bool IsName(string? name) =>
        !string.IsNullOrEmpty(name) && !name.Any(c => char.IsWhiteSpace(c) || c == '#' || c == '"' || c == '\'');
}
