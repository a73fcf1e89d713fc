// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Admin.Tables;

/// <summary>
/// Which HAProxy's stats-socket table commands to reproduce where 2.6 and 3.x answer
/// differently (what both accept, and every 3.x addition, works in both dialects).
/// </summary>
public enum CliDialect
{
    /// <summary>
    /// HAProxy 2.6: entry line <c>0x…: key=K use=U exp=MS name=value …</c>; an unparsable key
    /// in <c>show</c>/<c>clear table … key</c> of an ip (IPv4) table answers nothing; argument
    /// errors use 2.6's texts.
    /// </summary>
    Haproxy26,

    /// <summary>
    /// HAProxy 2.7 to 3.4: entry line <c>0x…: key=K use=U exp=MS shard=S name=value …</c>
    /// (<c>shard=</c> since 2.7, upstream 16b282f4b); an unparsable key answers
    /// <c>Invalid key</c> for every action (since 2.9, upstream 8dae361f3); argument errors
    /// mention <c>ptr &lt;ptr&gt;</c> (since 3.0, upstream 9b2717e7b).
    /// </summary>
    Haproxy3,
}
