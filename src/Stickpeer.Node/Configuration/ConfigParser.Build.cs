// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Node.Configuration;

public sealed partial class ConfigParser
{
    /// <summary>
    /// Validates everything parsed so far and returns the configuration.
    /// The local peer name is <paramref name="localPeerOverride"/> (<c>-L</c>), else <c>localpeer</c>,
    /// else <paramref name="hostName"/> (HAProxy uses the host name).
    /// </summary>
    public StickpeerConfiguration Build(string? localPeerOverride, string hostName)
    {
        ArgumentNullException.ThrowIfNull(hostName);
        var localName = localPeerOverride ?? _localPeer ?? hostName;
        var sections = new List<PeersSectionDefinition>();
        var tableNames = new Dictionary<string, ConfigLocation>(StringComparer.Ordinal);
        foreach (var pending in _proxyTables)
        {
            var table = pending.Table;
            if (!_peers.TryGetValue(table.PeersSection, out var target))
            {
                throw new ConfigurationException(table.Location, $"stick-table of '{table.LocalName}' refers to unknown peers section '{table.PeersSection}'");
            }

            target.Tables.Add(table);
        }

        foreach (var builder in _peersOrder)
        {
            foreach (var table in builder.Tables)
            {
                if (!tableNames.TryAdd(table.LocalName, table.Location))
                {
                    throw new ConfigurationException(table.Location, $"table '{table.LocalName}' is declared twice (first at {tableNames[table.LocalName]})");
                }
            }

            var section = BuildSection(builder, localName);
            if (section is not null)
            {
                sections.Add(section);
            }
        }

        return new StickpeerConfiguration(localName, _statsSockets.ToList(), sections, _warnings.ToList()) { LogTargets = _logTargets.ToList(), Aggregates = _aggregates.ToList() };
    }

    private PeersSectionDefinition? BuildSection(PeersBuilder builder, string localName)
    {
        var peers = builder.Peers.Select(p => p with { IsLocal = p.Name == localName }).ToList();
        var local = peers.Find(p => p.IsLocal);
        if (local is null)
        {
            if (builder.Disabled)
            {
                return null;
            }

            var source = _localPeer is not null ? $"'localpeer' at {_localPeerLocation}" : "-L or the host name";
            throw new ConfigurationException(builder.Location, $"local peer '{localName}' (from {source}) is missing from peers section '{builder.Name}'");
        }

        BindDefinition listener;
        if (builder.Bind is not null)
        {
            listener = builder.Bind;
        }
        else if (local.Address is not null)
        {
            listener = new BindDefinition(local.Address, builder.DefaultBindTls, local.Location);
        }
        else
        {
            throw new ConfigurationException(local.Location, $"local peer '{localName}' of peers section '{builder.Name}' has no address and the section has no 'bind' line");
        }

        ValidateBindTls(listener);
        if (!peers.Exists(p => !p.IsLocal) && !builder.Disabled)
        {
            // Valid for HAProxy too, but a node alone replicates with nobody: most likely a typo.
            _warnings.Add($"{builder.Location}: peers section '{builder.Name}' has no remote peer: this node will replicate with nobody");
        }

        foreach (var peer in peers.Where(p => !p.IsLocal))
        {
            if (peer.Address is null)
            {
                throw new ConfigurationException(peer.Location, $"remote peer '{peer.Name}' of peers section '{builder.Name}' has no address");
            }

            ValidateServerTls(peer);
        }

        return new PeersSectionDefinition(builder.Name, builder.Disabled, peers, local, listener, builder.Tables.ToList(), builder.Location);
    }

    private static void ValidateBindTls(BindDefinition bind)
    {
        var tls = bind.Tls;
        if (!tls.Enabled)
        {
            return;
        }

        if (tls.CertificateFile is null)
        {
            throw new ConfigurationException(bind.Location, $"'ssl' on listener {bind.Address} requires a certificate ('crt <pem>')");
        }

        RequireFile(bind.Location, "crt", tls.CertificateFile);
        if (tls.Verify is TlsVerifyMode.Required or TlsVerifyMode.Optional)
        {
            if (tls.CaFile is null)
            {
                throw new ConfigurationException(bind.Location, $"'verify {tls.Verify.ToString().ToLowerInvariant()}' on listener {bind.Address} requires 'ca-file'");
            }
        }

        if (tls.CaFile is not null)
        {
            RequireFile(bind.Location, "ca-file", tls.CaFile);
        }
    }

    private static void ValidateServerTls(PeerDefinition peer)
    {
        var tls = peer.Tls;
        if (!tls.Enabled)
        {
            return;
        }

        if (tls.Verify != TlsVerifyMode.None && tls.CaFile is null)
        {
            throw new ConfigurationException(peer.Location, $"peer '{peer.Name}': verify is enabled by default but no CA file specified; add 'ca-file <pem>' or an explicit 'verify none'");
        }

        if (tls.CaFile is not null)
        {
            RequireFile(peer.Location, "ca-file", tls.CaFile);
        }

        if (tls.CertificateFile is not null)
        {
            RequireFile(peer.Location, "crt", tls.CertificateFile);
        }
    }

    private static void RequireFile(ConfigLocation location, string what, string path)
    {
        if (!File.Exists(path))
        {
            throw new ConfigurationException(location, $"'{what}' file '{path}' does not exist");
        }
    }
}
