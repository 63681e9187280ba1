package dev.mdtload.cli;

import picocli.AutoComplete;
import picocli.codegen.docgen.manpage.ManPageGenerator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Build tool, run by {@code make install} and {@code make deb} (not a test): writes the shell
 * completion scripts and one AsciiDoc man page per command from the command line {@link Main}
 * itself builds, so they list exactly the commands and options the tool has.
 *
 * <p>{@code java dev.mdtload.cli.CommandDocs DIR} writes {@code DIR/bash/mdtload},
 * {@code DIR/zsh/_mdtload} and {@code DIR/adoc/mdtload*.adoc}.
 */
public final class CommandDocs {
    private static final String NAME = "mdtload";

    private CommandDocs() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: CommandDocs DIR");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        String bash = AutoComplete.bash(NAME, CommandTree.commandLine());
        write(out.resolve("bash").resolve(NAME), bash);
        // zsh autoloads _mdtload from its fpath on the first Tab: the body loads picocli's script
        // (which runs itself through zsh's bashcompinit and rebinds mdtload to it for later Tabs),
        // then completes this Tab with the function the script defined.
        write(out.resolve("zsh").resolve("_" + NAME), "#compdef " + NAME + "\n" + bash
                + "\n_bash_complete -o default -F _complete_" + NAME + "\n");
        Path adoc = Files.createDirectories(out.resolve("adoc"));
        int status = ManPageGenerator.generateManPage(adoc.toFile(), null, new boolean[0], true,
                CommandTree.commandLine().getCommandSpec());
        if (status != 0) {
            System.err.println("CommandDocs: the man page generator failed with status " + status);
            System.exit(1);
        }
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
