// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

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
            case "stats" when words.Count > 1 && words[1] == "socket":
                ParseStatsSocket(words, location);
                break;
            case "stats":
                WarnOnce("global stats " + (words.Count > 1 ? words[1] : string.Empty), location, $"'stats {(words.Count > 1 ? words[1] : string.Empty)}' ignored (not used by stickpeer)");
                break;
            default:
                WarnOnce("global " + words[0], location, $"global keyword '{words[0]}' ignored (not used by stickpeer)");
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
                case "expose-fd" or "user" or "group" or "uid" or "gid" or "process" or "thread" or "maxconn" or "name" or "severity-output":
                    _ = Arg(words, ++i, location, $"'{words[i - 1]}' followed by a value");
                    WarnOnce("stats socket " + words[i - 1], location, $"'stats socket' parameter '{words[i - 1]}' ignored");
                    break;
                default:
                    throw new ConfigurationException(location, $"unknown 'stats socket' parameter '{words[i]}'");
            }
        }

        _statsSockets.Add(new StatsSocketDefinition(path, endpoint, level, mode, location));
    }
}
