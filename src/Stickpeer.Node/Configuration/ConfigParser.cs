// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Node.Configuration;

/// <summary>
/// Reads the subset of HAProxy's configuration that a peers node needs: <c>global</c>
/// (<c>stats socket</c>, <c>localpeer</c>), <c>peers</c> sections and <c>stick-table ... peers</c>
/// lines of proxies. Everything else is skipped with one warning per kind; real errors throw
/// <see cref="ConfigurationException"/> with <c>file:line</c>.
/// </summary>
public sealed partial class ConfigParser
{
    private static readonly HashSet<string> s_proxySections = ["frontend", "backend", "listen", "defaults"];

    private static readonly HashSet<string> s_otherSections =
    [
        "userlist", "resolvers", "cache", "program", "http-errors", "ring", "mailers", "log-forward",
        "fcgi-app", "crt-store", "traces", "acme", "namespace_list", "dynamic-update", "ssl-f-use",
    ];

    private readonly Func<string, string?> _environment;
    private readonly List<string> _warnings = [];
    private readonly HashSet<string> _warned = new(StringComparer.Ordinal);
    private readonly List<StatsSocketDefinition> _statsSockets = [];
    private readonly Dictionary<string, PeersBuilder> _peers = new(StringComparer.Ordinal);
    private readonly List<PeersBuilder> _peersOrder = [];
    private readonly List<PendingProxyTable> _proxyTables = [];
    private string? _localPeer;
    private ConfigLocation _localPeerLocation;
    private string? _crtBase;
    private string? _caBase;

    // Current section while parsing.
    private string _sectionKind = string.Empty;
    private string _sectionName = string.Empty;
    private PeersBuilder? _currentPeers;

    public ConfigParser(Func<string, string?>? environment = null)
    {
        _environment = environment ?? Environment.GetEnvironmentVariable;
    }

    /// <summary>Warnings so far, each <c>file:line: message</c>.</summary>
    public IReadOnlyList<string> Warnings => _warnings;

    /// <summary>Reads and parses one configuration file.</summary>
    public void ParseFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException($"{path}: cannot read configuration file: {ex.Message}", ex);
        }

        ParseText(path, text);
    }

    /// <summary>Parses configuration text as if it were the file <paramref name="fileName"/>.</summary>
    public void ParseText(string fileName, string text)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(text);
        _sectionKind = string.Empty;
        _sectionName = string.Empty;
        _currentPeers = null;
        var lineNumber = 0;
        foreach (var line in text.Split('\n'))
        {
            lineNumber++;
            var location = new ConfigLocation(fileName, lineNumber);
            if (TryStripDirective(line, out var directive))
            {
                ParseDirective(directive, location);
                continue;
            }

            if (!ConfigTokenizer.TryTokenize(line, _environment, out var words, out var error))
            {
                throw new ConfigurationException(location, error!);
            }

            if (words.Count == 0)
            {
                continue;
            }

            ParseLine(words, location);
        }
    }

    private void ParseLine(List<string> words, ConfigLocation location)
    {
        var keyword = words[0];
        if (keyword is "global" or "peers" || s_proxySections.Contains(keyword) || s_otherSections.Contains(keyword))
        {
            StartSection(words, location);
            return;
        }

        switch (_sectionKind)
        {
            case "":
                throw new ConfigurationException(location, $"unknown keyword '{keyword}' out of section");
            case "global":
                ParseGlobal(words, location);
                break;
            case "peers":
                ParsePeers(words, location);
                break;
            case "frontend" or "backend" or "listen":
                ParseProxy(words, location);
                break;
            default:
                // Keywords of ignored sections were reported once when the section started.
                if (_sectionKind == "defaults")
                {
                    WarnOnce($"defaults {keyword}", location, $"keyword '{keyword}' in 'defaults' section ignored (not used by stickpeer)");
                }

                break;
        }
    }

    private void StartSection(List<string> words, ConfigLocation location)
    {
        _sectionKind = words[0];
        _sectionName = words.Count > 1 ? words[1] : string.Empty;
        _currentPeers = null;
        switch (_sectionKind)
        {
            case "peers":
                if (words.Count < 2)
                {
                    throw new ConfigurationException(location, "'peers' expects a section name");
                }

                if (_peers.TryGetValue(_sectionName, out var existing))
                {
                    throw new ConfigurationException(location, $"peers section '{_sectionName}' is declared twice (first at {existing.Location})");
                }

                _currentPeers = new PeersBuilder(_sectionName, location);
                _peers.Add(_sectionName, _currentPeers);
                _peersOrder.Add(_currentPeers);
                break;
            case "frontend" or "backend" or "listen":
                if (words.Count < 2)
                {
                    throw new ConfigurationException(location, $"'{_sectionKind}' expects a name");
                }

                break;
            case "global" or "defaults":
                break;
            default:
                WarnOnce("section " + _sectionKind, location, $"'{_sectionKind}' sections are ignored (not used by stickpeer)");
                break;
        }
    }

    private void ParseProxy(List<string> words, ConfigLocation location)
    {
        if (words[0] != "stick-table")
        {
            WarnOnce("proxy " + words[0], location, $"proxy keyword '{words[0]}' ignored (not used by stickpeer)");
            return;
        }

        var tokens = words.Skip(1).ToList();
        var ignored = new List<string>();
        if (!TableDeclarationParser.TryParse(tokens, inProxy: true, out var declaration, out var error, ignored))
        {
            throw new ConfigurationException(location, $"'stick-table' in {_sectionKind} '{_sectionName}': {error}");
        }

        ignored.ForEach(w => WarnOnce(w, location, w));

        if (declaration.PeersSection is not { } peersSection)
        {
            WarnOnce("local-table", location, $"stick-table of {_sectionKind} '{_sectionName}' has no 'peers' and is not replicated; ignored");
            return;
        }

        _proxyTables.Add(new PendingProxyTable(
            new TableDefinition(_sectionName, _sectionName, peersSection, tokens, declaration, location)));
    }

    private void WarnOnce(string kind, ConfigLocation location, string message)
    {
        if (_warned.Add(kind))
        {
            _warnings.Add($"{location}: {message}");
        }
    }

    private static string Arg(List<string> words, int index, ConfigLocation location, string what) =>
        index < words.Count ? words[index] : throw new ConfigurationException(location, $"'{words[0]}' expects {what}");

    private static ConfigEndpoint ParseEndpoint(string text, ConfigLocation location)
    {
        if (!ConfigEndpoint.TryParse(text, out var endpoint, out var error))
        {
            throw new ConfigurationException(location, error);
        }

        return endpoint;
    }

    private static string ResolvePath(string path, string? basePath) =>
        basePath is null || Path.IsPathRooted(path) ? path : Path.Combine(basePath, path);

    private sealed record PendingProxyTable(TableDefinition Table);
}
