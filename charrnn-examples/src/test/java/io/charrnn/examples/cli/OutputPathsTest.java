package io.charrnn.examples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.charrnn.examples.cli.CharRnnCliTest.Run;
import io.charrnn.io.ModelFiles;
import io.charrnn.testing.ChildJvm;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every path a command writes is checked before any work, and nothing the user points at is
 * destroyed (issue 16's table, rows 2 to 6): one line naming the option, the path and the reason,
 * exit status 1, and no training started ("reading" is the first thing training prints).
 */
class OutputPathsTest {
    @TempDir
    static Path dir;
    static Path text;
    static byte[] textBytes;

    @BeforeAll
    static void writeText() throws Exception {
        text = dir.resolve("a.txt");
        Files.writeString(text, "the cat sat on the mat.\nthe dog sat on the log.\n".repeat(20));
        textBytes = Files.readAllBytes(text);
    }

    private static Run train(Path out, String... more) {
        String[] args = {"train", "--text", text.toString(), "--out", out.toString(), "--hidden", "8", "--seq", "8",
            "--steps", "3", "--no-samples", "--checkpoint-dir", dir.resolve("ck").toString()};
        return CharRnnCliTest.run(TrainInterruptTest.concat(args, more));
    }

    private static void assertRefusedBeforeWork(Run r, String error) {
        assertEquals(1, r.status(), r.err());
        assertEquals("charrnn: error: " + error, r.err().strip());
        assertFalse(r.err().contains("reading "), "nothing read: " + r.err());
    }

    @Test
    void outSameAsText_isRefused_andTheTextKept() throws Exception {
        assertRefusedBeforeWork(train(text), "--out " + text + ": is the same file as the input " + text
                + "; writing it would destroy the input");
        Path hardLink = Files.createLink(dir.resolve("hard.txt"), text);
        assertRefusedBeforeWork(train(hardLink), "--out " + hardLink + ": is the same file as the input " + text
                + "; writing it would destroy the input");
        assertArrayEquals(textBytes, Files.readAllBytes(text));
    }

    @Test
    void outADevice_isRefused_andTheDeviceKept() throws Exception {
        Path devNull = Path.of("/dev/null");
        assertTrue(ChildJvm.isLinux() && Files.exists(devNull), "needs /dev/null");
        assertRefusedBeforeWork(train(devNull), "--out /dev/null: is a character device, not a regular file");
        assertFalse(Files.isRegularFile(devNull));
    }

    @Test
    void outAFifo_isRefused() throws Exception {
        Path fifo = dir.resolve("out.fifo");
        assertTrue(ChildJvm.succeeds(10, "mkfifo", fifo.toString()), "mkfifo must work on this system");
        assertRefusedBeforeWork(train(fifo), "--out " + fifo + ": is a FIFO (named pipe), not a regular file");
    }

    @Test
    void outASymlink_isWrittenThrough_theLinkStays() throws Exception {
        Path real = Files.writeString(dir.resolve("real.charrnn"), "old");
        Path link = Files.createSymbolicLink(dir.resolve("link.charrnn"), real.getFileName());

        Run r = train(link);

        assertEquals(0, r.status(), r.err());
        assertTrue(Files.isSymbolicLink(link));
        assertEquals(3, ModelFiles.load(real).trainingInfo().orElseThrow().steps());
    }

    @Test
    void outASymlinkToTheText_orToNothing_isRefused() throws Exception {
        Path toText = Files.createSymbolicLink(dir.resolve("to-text.charrnn"), text);
        assertRefusedBeforeWork(train(toText), "--out " + toText + ": is the same file as the input " + text
                + "; writing it would destroy the input");
        Path dangling = Files.createSymbolicLink(dir.resolve("dangling.charrnn"), dir.resolve("nowhere"));
        assertRefusedBeforeWork(train(dangling), "--out " + dangling + ": is a symbolic link to " + dir.resolve("nowhere")
                + ", which does not exist; give the file itself");
        assertTrue(Files.isSymbolicLink(toText) && Files.isSymbolicLink(dangling));
        assertArrayEquals(textBytes, Files.readAllBytes(text));
    }

    @Test
    void outADirectoryOrAMissingDirectory_isRefusedBeforeTraining() throws Exception {
        Path someDir = Files.createDirectories(dir.resolve("somedir"));
        assertRefusedBeforeWork(train(someDir), "--out " + someDir + ": is a directory; give a file name");
        Path missing = dir.resolve("missing/dir/m.charrnn");
        assertRefusedBeforeWork(train(missing), "--out " + missing + ": cannot be written: the directory "
                + missing.getParent() + " does not exist");
    }

    @Test
    void outTheResumedCheckpoint_isRefused() throws Exception {
        Path ck = dir.resolve("resume-ck");
        Run first = train(dir.resolve("first.charrnn"), "--checkpoint-dir", ck.toString(), "--checkpoint-every", "3");
        assertEquals(0, first.status(), first.err());
        Path checkpoint = ck.resolve("checkpoint-000000003.charrnn");
        byte[] before = Files.readAllBytes(checkpoint);

        assertRefusedBeforeWork(train(checkpoint, "--resume", checkpoint.toString(), "--steps", "6"),
                "--out " + checkpoint + ": is the same file as the input " + checkpoint
                        + "; writing it would destroy the input");
        assertArrayEquals(before, Files.readAllBytes(checkpoint));
    }

    @Test
    void checkpointDirAnExistingFile_saysSo() throws Exception {
        Path afile = Files.writeString(dir.resolve("afile"), "x");
        assertRefusedBeforeWork(train(dir.resolve("m.charrnn"), "--checkpoint-dir", afile.toString()),
                "--checkpoint-dir " + afile + ": is a regular file, not a directory");
        Path under = afile.resolve("sub");
        assertRefusedBeforeWork(train(dir.resolve("m.charrnn"), "--checkpoint-dir", under.toString()),
                "--checkpoint-dir " + under + ": cannot be created: " + afile + " is not a directory");
        assertEquals("x", Files.readString(afile));
    }

    @Test
    void plotOut_isCheckedTheSameWay() throws Exception {
        Run model = train(dir.resolve("plot.charrnn"));
        assertEquals(0, model.status(), model.err());
        Path png = Files.createDirectories(dir.resolve("dir.png"));
        Run r = CharRnnCliTest.run("plot", "--model", dir.resolve("plot.charrnn").toString(), "--kind", "loss",
                "--out", png.toString());
        assertEquals(1, r.status(), r.err());
        assertEquals("charrnn: error: --out " + png + ": is a directory; give a file name", r.err().strip());
        assertTrue(Files.isDirectory(png, LinkOption.NOFOLLOW_LINKS));
    }
}
