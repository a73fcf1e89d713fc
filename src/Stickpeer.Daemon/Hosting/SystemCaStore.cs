// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Runtime.InteropServices;
using System.Text;
using Stickpeer.Daemon.Cli;

namespace Stickpeer.Daemon.Hosting;

/// <summary>
/// Keeps .NET's certificate chain builder from reading the operating system's CA store in a daemon
/// process, which never trusts it.
/// </summary>
/// <remarks>
/// Every certificate check of the daemon is against the <c>ca-file</c> of its bind/server line
/// (custom root trust, as HAProxy checks against its ca-file); the configuration refuses
/// <c>verify</c> without one. Yet on Linux every <c>X509Chain.Build</c> (SslStreamCertificateContext.Create
/// at start, and SslStream's own check of each peer's certificate, which no option turns off)
/// first loads the whole system store: the bundle file and every file of the certificate directory,
/// about 440 PEM parses on Debian 12, cached for 5 minutes and then read again. That load was
/// 0.06–0.07 s of the 0.15 s of CPU a TLS learner spent on a 100 000-entry lesson
/// (docs/benchmarks.md, "TLS: where the learner's CPU went"). .NET takes the store's location from
/// OpenSSL's variables <c>SSL_CERT_FILE</c> and <c>SSL_CERT_DIR</c>; set empty, the store is empty.
/// </remarks>
internal static class SystemCaStore
{
    public const string FileVariable = "SSL_CERT_FILE";
    public const string DirectoryVariable = "SSL_CERT_DIR";

    /// <summary>True once this process emptied the store's location (logged at start).</summary>
    public static bool Detached { get; private set; }

    /// <summary>
    /// Only a daemon run (the client subcommands, e.g. <c>top</c> against an https URL, keep the
    /// system store) and only where .NET uses OpenSSL. An operator's own values of the variables are
    /// replaced too: the daemon has no use for the system store, and shells and CI images often export
    /// them (this benchmark machine's does, with the full store).
    /// </summary>
    internal static bool ShouldDetach(CommandMode? mode, bool openSsl) => mode is CommandMode.Run or CommandMode.Demo && openSsl;

    /// <summary>
    /// Called first thing in <c>Main</c>, before any thread of the program exists and before any
    /// certificate is touched: <c>setenv</c> is not safe against a concurrent <c>getenv</c>, and .NET
    /// reads the variables once, at the first chain build.
    /// </summary>
    public static void DetachForDaemon(IReadOnlyList<string> args)
    {
        var mode = CommandLine.Parse(args, out _)?.Mode;
        var openSsl = OperatingSystem.IsLinux() || OperatingSystem.IsFreeBSD();
        if (!ShouldDetach(mode, openSsl))
        {
            return;
        }

        // The native environment, where OpenSSL's shim reads them (Environment.SetEnvironmentVariable
        // changes .NET's own copy only).
        Detached = SetEmpty(FileVariable) && SetEmpty(DirectoryVariable);
    }

    private static bool SetEmpty(string name) => SetEnv(Encoding.ASCII.GetBytes(name + "\0"), [0], 1) == 0;

    // DllImport with NUL-terminated byte arrays (pinned, no marshalling code), as Reload's kill:
    // LibraryImport would need unsafe code enabled for the whole project.
    [DllImport("libc", EntryPoint = "setenv")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SetEnv(byte[] name, byte[] value, int overwrite);
}
