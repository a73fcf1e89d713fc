// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Node.Configuration.Keywords;

namespace Stickpeer.Node.Configuration;

public sealed partial class ConfigParser
{
    private void ParseGlobal(List<string> words, ConfigLocation location)
    {
        switch (words[0])
        {
            case "localpeer":
                _localPeer = Arg(words, 1, location, "a peer name");
                _localPeerLocation = location;
                break;
            case "crt-base":
                _crtBase = Arg(words, 1, location, "a directory");
                break;
            case "ca-base":
                _caBase = Arg(words, 1, location, "a directory");
                break;
            case "stats":
                ParseStats(words, location);
                break;
            case "log":
                ParseLog(words, location);
                break;
            default:
                if (HaproxyKeywords.Global.TryGet(words[0], out var known) && known.Note is { } note)
                {
                    WarnOnce("global " + words[0], location, $"global keyword '{words[0]}' ignored: {note}");
                }
                else
                {
                    WarnOnce("global " + words[0], location, $"global keyword '{words[0]}' ignored (not used by stickpeer)");
                }

                break;
        }
    }

    private void ParseStats(List<string> words, ConfigLocation location)
    {
        var word = words.Count > 1 ? words[1] : string.Empty;
        if (!HaproxyKeywords.Stats.TryGet(word, out var keyword))
        {
            // HAProxy 2.6: 'stats' only supports 'socket', 'maxconn', 'bind-process' and 'timeout' (got 'sockett')
            var names = HaproxyKeywords.Stats.Select(k => $"'{k.Name}'").ToList();
            var list = names.Count > 1 ? string.Join(", ", names.Take(names.Count - 1)) + " and " + names[^1] : string.Join(string.Empty, names);
            throw new ConfigurationException(location, $"'stats' only supports {list} (got '{word}')");
        }

        switch (keyword.Support)
        {
            case KeywordSupport.Implemented:
                ParseStatsSocket(words, location);
                break;
            default:
                _ = Arg(words, 1 + keyword.Arguments, location, $"'stats {word}' followed by a value");
                WarnOnce("global stats " + word, location, $"'stats {word}' ignored: {keyword.Note}");
                break;
        }
    }

    private void ParseStatsSocket(List<string> words, ConfigLocation location)
    {
        var address = Arg(words, 2, location, "an address: 'stats socket <path|ipv4@addr:port>'");
        string? path = null;
        ConfigEndpoint? endpoint = null;
        if (address.StartsWith("unix@", StringComparison.Ordinal))
        {
            path = address["unix@".Length..];
        }
        else if (address.StartsWith('/') || address.StartsWith('.'))
        {
            path = address;
        }
        else
        {
            endpoint = ParseEndpoint(address, location);
        }

        if (path is { Length: 0 })
        {
            throw new ConfigurationException(location, "'stats socket' expects a path after 'unix@'");
        }

        var level = "operator"; // HAProxy's default CLI level
        int? mode = null;
        for (var i = 3; i < words.Count; i++)
        {
            switch (words[i])
            {
                case "level":
                    level = Arg(words, ++i, location, "'level' followed by user, operator or admin");
                    if (level is not ("user" or "operator" or "admin"))
                    {
                        throw new ConfigurationException(location, $"'level' only supports 'user', 'operator' and 'admin' (got '{level}')");
                    }

                    break;
                case "mode":
                    var modeText = Arg(words, ++i, location, "'mode' followed by an octal mode");
                    try
                    {
                        mode = Convert.ToInt32(modeText, 8);
                    }
                    catch (FormatException)
                    {
                        throw new ConfigurationException(location, $"'mode' expects an octal number (got '{modeText}')");
                    }

                    break;
                default:
                    i += StatsSocketOption(words, i, location);
                    break;
            }
        }

        _statsSockets.Add(new StatsSocketDefinition(path, endpoint, level, mode, location));
    }

    // An option of 'stats socket' other than level and mode: an error unless HAProxy knows it; returns
    // how many argument words it consumed.
    private int StatsSocketOption(List<string> words, int i, ConfigLocation location)
    {
        var word = words[i];
        if (!HaproxyKeywords.StatsSocket.TryGet(word, out var keyword))
        {
            var hint = HaproxyKeywords.StatsSocket.Suggest(word) is { } near ? $" Did you mean '{near}' maybe ?" : string.Empty;
            throw new ConfigurationException(location, $"'stats socket' : unknown keyword '{word}'.{hint}");
        }

        if (keyword.Support == KeywordSupport.Refused)
        {
            throw new ConfigurationException(location, $"'stats socket' : '{word}' is not supported by stickpeer: {keyword.Note}");
        }

        _ = Arg(words, i + keyword.Arguments, location, $"'{word}' followed by a value");
        WarnOnce("stats socket " + word, location, $"'stats socket' option '{word}' ignored{(keyword.Note is null ? " (not used by stickpeer's CLI)" : ": " + keyword.Note)}");
        return keyword.Arguments;
    }
}
