// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Node.Configuration.Keywords;

namespace Stickpeer.Node.Configuration;

public sealed partial class ConfigParser
{
    // Transport options HAProxy accepts on server/bind lines that Stickpeer does not act on:
    // name -> number of arguments. They are skipped with one warning each.
    private static readonly Dictionary<string, int> s_ignoredServerParams = new(StringComparer.Ordinal)
    {
        ["ciphers"] = 1, ["ciphersuites"] = 1, ["curves"] = 1, ["sigalgs"] = 1, ["client-sigalgs"] = 1,
        ["ssl-min-ver"] = 1, ["ssl-max-ver"] = 1, ["crl-file"] = 1, ["source"] = 1, ["namespace"] = 1,
        ["shard"] = 1, ["tcp-ut"] = 1, ["tcp-md5sig"] = 1, ["socks4"] = 1, ["inter"] = 1, ["fall"] = 1,
        ["rise"] = 1, ["weight"] = 1, ["maxconn"] = 1, ["proto"] = 1, ["alpn"] = 1, ["npn"] = 1,
        ["no-sslv3"] = 0, ["no-tlsv10"] = 0, ["no-tlsv11"] = 0, ["no-tlsv12"] = 0, ["no-tlsv13"] = 0,
        ["force-sslv3"] = 0, ["force-tlsv10"] = 0, ["force-tlsv11"] = 0, ["force-tlsv12"] = 0, ["force-tlsv13"] = 0,
        ["no-ssl-reuse"] = 0, ["ssl-reuse"] = 0, ["no-tls-tickets"] = 0, ["tls-tickets"] = 0, ["allow-0rtt"] = 0,
        ["ktls"] = 0, ["tfo"] = 0, ["check"] = 0, ["no-check"] = 0, ["send-proxy"] = 0, ["send-proxy-v2"] = 0,
    };

    private static readonly Dictionary<string, int> s_ignoredBindParams = new(StringComparer.Ordinal)
    {
        ["ciphers"] = 1, ["ciphersuites"] = 1, ["curves"] = 1, ["ecdhe"] = 1, ["sigalgs"] = 1, ["client-sigalgs"] = 1,
        ["ssl-min-ver"] = 1, ["ssl-max-ver"] = 1, ["crl-file"] = 1, ["alpn"] = 1, ["npn"] = 1, ["name"] = 1,
        ["process"] = 1, ["thread"] = 1, ["interface"] = 1, ["mss"] = 1, ["maxconn"] = 1, ["backlog"] = 1,
        ["nice"] = 1, ["id"] = 1, ["uid"] = 1, ["gid"] = 1, ["mode"] = 1, ["user"] = 1, ["group"] = 1,
        ["namespace"] = 1, ["ca-ignore-err"] = 1, ["crt-ignore-err"] = 1, ["ca-verify-file"] = 1, ["tcp-ut"] = 1,
        ["strict-sni"] = 0, ["no-sslv3"] = 0, ["no-tlsv10"] = 0, ["no-tlsv11"] = 0, ["no-tlsv12"] = 0, ["no-tlsv13"] = 0,
        ["force-sslv3"] = 0, ["force-tlsv10"] = 0, ["force-tlsv11"] = 0, ["force-tlsv12"] = 0, ["force-tlsv13"] = 0,
        ["prefer-client-ciphers"] = 0, ["transparent"] = 0, ["tfo"] = 0, ["v4v6"] = 0, ["v6only"] = 0,
        ["defer-accept"] = 0, ["accept-proxy"] = 0, ["no-ca-names"] = 0, ["allow-0rtt"] = 0, ["no-tls-tickets"] = 0,
        ["ktls"] = 0,
    };

    private void ParsePeers(List<string> words, ConfigLocation location)
    {
        var section = _currentPeers!;
        switch (words[0])
        {
            case "peer":
                if (section.Bind is not null)
                {
                    throw new ConfigurationException(location, "'peer' lines cannot be mixed with a 'bind' line in a peers section; use 'server' lines");
                }

                section.HasPeerLines = true;
                AddPeer(section, words, location, requireAddress: true);
                break;
            case "server":
                AddPeer(section, words, location, requireAddress: false);
                break;
            case "bind":
                if (section.HasPeerLines)
                {
                    throw new ConfigurationException(location, "'bind' cannot be mixed with 'peer' lines in a peers section; use 'server' lines");
                }

                if (section.Bind is not null)
                {
                    throw new ConfigurationException(location, $"only one 'bind' line is allowed per peers section (first at {section.Bind.Location})");
                }

                var address = ParseEndpoint(Arg(words, 1, location, "an address: 'bind <addr>:<port>'"), location);
                section.Bind = new BindDefinition(address, ParseBindParams(section.DefaultBindTls, words, 2, location), location);
                break;
            case "default-server":
                section.DefaultServerTls = ParseServerParams(section.DefaultServerTls, words, 1, location);
                break;
            case "default-bind":
                section.DefaultBindTls = ParseBindParams(section.DefaultBindTls, words, 1, location);
                break;
            case "table":
                AddPeersTable(section, words, location);
                break;
            case "disabled":
                section.Disabled = true;
                break;
            case "enabled":
                section.Disabled = false;
                break;
            default:
                PeersKeywordNotImplemented(words[0], location);
                break;
        }
    }

    // Known to HAProxy but not acted on: a warning that says what is ignored; anything else is fatal, as in HAProxy.
    private void PeersKeywordNotImplemented(string word, ConfigLocation location)
    {
        if (!HaproxyKeywords.Peers.TryGet(word, out var keyword) || keyword.Support == KeywordSupport.Implemented)
        {
            var hint = HaproxyKeywords.Peers.Suggest(word) is { } near ? $" (did you mean '{near}'?)" : string.Empty;
            throw new ConfigurationException(location, $"unknown keyword '{word}' in 'peers' section{hint}");
        }

        if (keyword.Support == KeywordSupport.Refused)
        {
            throw new ConfigurationException(location, $"peers keyword '{word}' is not supported by stickpeer: {keyword.Note}");
        }

        WarnOnce("peers " + word, location, $"peers keyword '{word}' ignored: {keyword.Note}");
    }

    private void AddPeer(PeersBuilder section, List<string> words, ConfigLocation location, bool requireAddress)
    {
        var name = Arg(words, 1, location, "a peer name");
        if (section.Peers.Find(p => p.Name == name) is { } existing)
        {
            throw new ConfigurationException(location, $"peer '{name}' is declared twice in peers section '{section.Name}' (first at {existing.Location})");
        }

        ConfigEndpoint? address = null;
        var next = 2;
        if (words.Count > 2 && (requireAddress || !IsServerKeyword(words[2])))
        {
            address = ParseEndpoint(words[2], location);
            next = 3;
        }
        else if (requireAddress)
        {
            throw new ConfigurationException(location, $"'peer {name}' expects an address '<addr>:<port>'");
        }

        var tls = ParseServerParams(section.DefaultServerTls, words, next, location);
        section.Peers.Add(new PeerDefinition(name, address, tls, location));
    }

    private static bool IsServerKeyword(string word) =>
        word is "ssl" or "no-ssl" or "verify" or "ca-file" or "crt" or "verifyhost" or "sni" || s_ignoredServerParams.ContainsKey(word);

    private void AddPeersTable(PeersBuilder section, List<string> words, ConfigLocation location)
    {
        var name = Arg(words, 1, location, "a table name");
        var tokens = words.Skip(2).ToList();
        var ignored = new List<string>();
        if (!TableDeclarationParser.TryParse(tokens, inProxy: false, out var declaration, out var error, ignored))
        {
            throw new ConfigurationException(location, $"table '{name}' in peers section '{section.Name}': {error}");
        }

        ignored.ForEach(w => WarnOnce(w, location, w));

        section.Tables.Add(new TableDefinition($"{section.Name}/{name}", "/" + name, section.Name, tokens, declaration, location));
    }

    private TlsSettings ParseServerParams(TlsSettings defaults, List<string> words, int start, ConfigLocation location)
    {
        var tls = defaults;
        for (var i = start; i < words.Count; i++)
        {
            var word = words[i];
            if (TryParseCommonTlsParam(ref tls, words, ref i, location, allowOptionalVerify: false))
            {
                continue;
            }

            switch (word)
            {
                case "no-ssl":
                    tls = tls with { Enabled = false };
                    break;
                case "verifyhost":
                    tls = tls with { VerifyHost = Arg(words, ++i, location, "'verifyhost' followed by a host name") };
                    break;
                case "sni":
                    tls = tls with { Sni = ParseSniExpression(Arg(words, ++i, location, "'sni' followed by an expression"), location) };
                    break;
                default:
                    if (!s_ignoredServerParams.TryGetValue(word, out var argCount))
                    {
                        throw new ConfigurationException(location, $"unknown server parameter '{word}' on '{words[0]}' line");
                    }

                    WarnOnce("server param " + word, location, $"server parameter '{word}' ignored (not supported by stickpeer)");
                    i += argCount;
                    break;
            }
        }

        return tls;
    }

    private TlsSettings ParseBindParams(TlsSettings defaults, List<string> words, int start, ConfigLocation location)
    {
        var tls = defaults;
        for (var i = start; i < words.Count; i++)
        {
            var word = words[i];
            if (TryParseCommonTlsParam(ref tls, words, ref i, location, allowOptionalVerify: true))
            {
                continue;
            }

            switch (word)
            {
                case "crt-list":
                    throw new ConfigurationException(location, "'crt-list' is not supported by stickpeer; use one 'crt' PEM file");
                default:
                    if (!s_ignoredBindParams.TryGetValue(word, out var argCount))
                    {
                        throw new ConfigurationException(location, $"unknown bind parameter '{word}'");
                    }

                    WarnOnce("bind param " + word, location, $"bind parameter '{word}' ignored (not supported by stickpeer)");
                    i += argCount;
                    break;
            }
        }

        return tls;
    }

    /// <summary>The TLS keywords that server and bind lines share (ssl, verify, ca-file, crt).</summary>
    private bool TryParseCommonTlsParam(ref TlsSettings tls, List<string> words, ref int i, ConfigLocation location, bool allowOptionalVerify)
    {
        switch (words[i])
        {
            case "ssl":
                tls = tls with { Enabled = true };
                return true;
            case "verify":
                var choices = allowOptionalVerify ? "none, optional or required" : "none or required";
                var verify = Arg(words, ++i, location, $"'verify' followed by {choices}");
                tls = tls with
                {
                    Verify = verify switch
                    {
                        "none" => TlsVerifyMode.None,
                        "optional" when allowOptionalVerify => TlsVerifyMode.Optional,
                        "required" => TlsVerifyMode.Required,
                        _ => throw new ConfigurationException(location, allowOptionalVerify
                            ? $"'verify' expects 'none', 'optional' or 'required' (got '{verify}')"
                            : $"'verify' expects 'none' or 'required' (got '{verify}')"),
                    },
                };
                return true;
            case "ca-file":
                tls = tls with { CaFile = ResolvePath(Arg(words, ++i, location, "'ca-file' followed by a file"), _caBase) };
                return true;
            case "crt":
                tls = tls with { CertificateFile = ResolvePath(Arg(words, ++i, location, "'crt' followed by a file"), _crtBase) };
                return true;
            default:
                return false;
        }
    }

    private static string ParseSniExpression(string expression, ConfigLocation location)
    {
        // HAProxy takes a sample expression; for peers only a constant makes sense: str(<name>).
        if (expression.StartsWith("str(", StringComparison.Ordinal) && expression.EndsWith(')'))
        {
            return expression[4..^1];
        }

        throw new ConfigurationException(location, $"'sni' only supports a constant 'str(<name>)' expression on peers lines (got '{expression}')");
    }

    private sealed class PeersBuilder(string name, ConfigLocation location)
    {
        public string Name { get; } = name;

        public ConfigLocation Location { get; } = location;

        public bool Disabled { get; set; }

        public bool HasPeerLines { get; set; }

        public List<PeerDefinition> Peers { get; } = [];

        public BindDefinition? Bind { get; set; }

        public TlsSettings DefaultServerTls { get; set; } = TlsSettings.Disabled;

        public TlsSettings DefaultBindTls { get; set; } = TlsSettings.Disabled;

        public List<TableDefinition> Tables { get; } = [];
    }
}
