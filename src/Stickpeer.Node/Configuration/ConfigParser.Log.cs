// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Node.Configuration;

public sealed partial class ConfigParser
{
    private static readonly string[] s_facilities =
    [
        "kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron", "auth2", "ftp",
        "ntp", "audit", "alert", "cron2", "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7",
    ];

    private static readonly string[] s_levels = ["emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"];

    private readonly List<LogTargetDefinition> _logTargets = [];

    // log <target> [len <n>] [format <fmt>] [sample <ranges>:<size>] <facility> [<level> [<minlevel>]]
    private void ParseLog(List<string> words, ConfigLocation location)
    {
        var target = Arg(words, 1, location, "a target: 'log <address|/dev/log|stdout|stderr> <facility> [<level> [<minlevel>]]'");
        var maxLength = 1024; // HAProxy's default line length
        var i = 2;
        for (; i + 1 < words.Count && words[i] is "len" or "format" or "sample"; i += 2)
        {
            switch (words[i])
            {
                case "len":
                    if (!int.TryParse(words[i + 1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out maxLength)
                        || maxLength < 80 || maxLength > 65535)
                    {
                        throw new ConfigurationException(location, $"'len' expects a length between 80 and 65535 (got '{words[i + 1]}')");
                    }

                    break;
                case "format" when words[i + 1] is not ("legacy" or "rfc3164"):
                    WarnOnce("log format " + words[i + 1], location, $"log format '{words[i + 1]}' ignored: stickpeer sends the legacy (rfc3164-style) format");
                    break;
                case "sample":
                    WarnOnce("log sample", location, "log 'sample' ignored: stickpeer sends every message");
                    break;
            }
        }

        var facilityName = Arg(words, i, location, "a facility (e.g. local0)");
        var facility = Array.IndexOf(s_facilities, facilityName);
        if (facility < 0)
        {
            throw new ConfigurationException(location, $"unknown log facility '{facilityName}'");
        }

        var max = words.Count > i + 1 ? Level(words[i + 1], location) : 7;
        var min = words.Count > i + 2 ? Level(words[i + 2], location) : 0;
        if (words.Count > i + 3)
        {
            throw new ConfigurationException(location, $"too many arguments to 'log' (unexpected '{words[i + 3]}')");
        }

        string? path = null;
        string? stream = null;
        ConfigEndpoint? udp = null;
        if (target is "stdout" or "stderr")
        {
            stream = target;
        }
        else if (target.StartsWith('/') || target.StartsWith("unix@", StringComparison.Ordinal))
        {
            path = target.StartsWith('/') ? target : target["unix@".Length..];
        }
        else if (target.StartsWith("ring@", StringComparison.Ordinal) || target.StartsWith("fd@", StringComparison.Ordinal))
        {
            WarnOnce("log " + target, location, $"log target '{target}' ignored: stickpeer sends syslog to UNIX sockets, UDP addresses, stdout and stderr only");
            return;
        }
        else
        {
            var address = target;
            foreach (var prefix in new[] { "udp@", "udp4@", "udp6@" })
            {
                if (address.StartsWith(prefix, StringComparison.Ordinal))
                {
                    address = address[prefix.Length..];
                }
            }

            // The syslog port is optional, as in HAProxy.
            udp = ParseEndpoint(address.Contains(':', StringComparison.Ordinal) ? address : address + ":514", location);
        }

        _logTargets.Add(new LogTargetDefinition(path, udp, stream, facility, max, min, maxLength, location));
    }

    private static int Level(string name, ConfigLocation location)
    {
        var level = Array.IndexOf(s_levels, name);
        return level >= 0 ? level : throw new ConfigurationException(location, $"unknown optional log level '{name}'");
    }
}
