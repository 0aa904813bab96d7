/**
 * Text in, integer codes out: {@link io.charrnn.text.Vocabulary} (Unicode code points, sorted),
 * {@link io.charrnn.text.Corpus} (an encoded text split into training, validation and test parts)
 * and {@link io.charrnn.text.Texts} (reading UTF-8 files, directories and jars), with CRLF read as
 * LF unless {@link io.charrnn.text.Newlines#KEEP} is asked for ({@link io.charrnn.text.CorpusReader},
 * from {@code Corpus.reader()}, holds every reading choice, and splits a text of many files by file).
 *
 * <pre>{@code
 * Corpus corpus = Corpus.open(Path.of("shakespeare.txt"));     // 90 % train, 10 % validation
 * Vocabulary v = corpus.vocabulary();                              // Vocabulary[size=65, "\n !&',-.:;?ABC…"]
 * int[] codes = v.encode("ROMEO:");
 * String back = v.decode(codes);
 * }</pre>
 */
package io.charrnn.text;
