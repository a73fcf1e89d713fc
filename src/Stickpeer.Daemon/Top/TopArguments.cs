// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Daemon.Top;

/// <summary>
/// The source options shared by <c>top</c> and <c>wait-ready</c>: exactly one of
/// <c>--http &lt;addr:port&gt;</c> (with <c>--http-token</c> or <c>STICKPEER_HTTP_TOKEN</c>) and
/// <c>--socket &lt;path|host:port&gt;</c>, plus the command's own flags.
/// </summary>
internal sealed class TopArguments
{
    public string? Http { get; private set; }

    public string? Token { get; private set; }

    public string? Socket { get; private set; }

    public HashSet<string> Flags { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> Values { get; } = new(StringComparer.Ordinal);

    /// <summary>Parses <paramref name="args"/>; returns an error message, or null.</summary>
    public static string? TryParse(IReadOnlyList<string> args, IReadOnlySet<string> flags, IReadOnlySet<string> valued, out TopArguments parsed)
    {
        parsed = new TopArguments();
        for (var i = 0; i < args.Count; i++)
        {
            var a = args[i];
            var hasValue = i + 1 < args.Count;
            switch (a)
            {
                case "--http" when hasValue:
                    parsed.Http = args[++i];
                    break;
                case "--http-token" when hasValue:
                    parsed.Token = args[++i];
                    break;
                case "--socket" when hasValue:
                    parsed.Socket = args[++i];
                    break;
                default:
                    if (flags.Contains(a))
                    {
                        parsed.Flags.Add(a);
                    }
                    else if (valued.Contains(a) && hasValue)
                    {
                        parsed.Values[a] = args[++i];
                    }
                    else
                    {
                        return $"unexpected '{a}'";
                    }

                    break;
            }
        }

        if ((parsed.Http is null) == (parsed.Socket is null))
        {
            return "give one of --http <addr:port> and --socket <path|host:port>";
        }

        return null;
    }

    public ITopSource CreateSource(HttpMessageHandler? handler, TimeProvider time) =>
        Socket is not null
            ? new SocketTopSource(Socket, time)
            : new HttpTopSource(Http!, Token ?? Environment.GetEnvironmentVariable("STICKPEER_HTTP_TOKEN"), handler, time);
}
