// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Text;

namespace Stickpeer.Admin;

/// <summary>Splits a CLI request line like HAProxy: <c>;</c> separates commands, blanks separate words, <c>\</c> escapes.</summary>
public static class CliWords
{
    /// <summary>Maximum number of words in one command (HAProxy's MAX_CLI_ARGS is 64).</summary>
    public const int MaxWords = 64;

    public static List<List<string>> Split(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var commands = new List<List<string>>();
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c == '\\' && i + 1 < line.Length)
            {
                word.Append(line[++i]);
                inWord = true;
            }
            else if (c is ' ' or '\t' or '\r' or '\n')
            {
                EndWord();
            }
            else if (c == ';')
            {
                EndWord();
                commands.Add(words);
                words = [];
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }

        EndWord();
        commands.Add(words);
        return commands;

        void EndWord()
        {
            if (inWord && words.Count < MaxWords)
            {
                words.Add(word.ToString());
            }

            word.Clear();
            inWord = false;
        }
    }
}
