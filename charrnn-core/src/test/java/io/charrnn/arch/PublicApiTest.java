package io.charrnn.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No ND4J type appears in a public or protected signature outside {@code io.charrnn.internal}:
 * users see only Java types, and a backend swap never breaks them.
 */
class PublicApiTest {

    private static List<Class<?>> exportedClasses() throws IOException, URISyntaxException, ClassNotFoundException {
        Path root = Path.of(io.charrnn.model.RnnModel.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Class<?>> classes = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                String name = root.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", "");
                if (!name.startsWith("io.charrnn.internal") && !name.endsWith("package-info")) {
                    classes.add(Class.forName(name, false, PublicApiTest.class.getClassLoader()));
                }
            }
        }
        return classes;
    }

    private static boolean visible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    @Test
    void publicSignatures_mentionNoNd4jOrInternalType() throws Exception {
        List<String> leaks = new ArrayList<>();
        List<Class<?>> classes = exportedClasses();
        assertTrue(classes.size() > 10, "found only " + classes);
        for (Class<?> c : classes) {
            if (!visible(c.getModifiers())) {
                continue;
            }
            List<Type> types = new ArrayList<>();
            for (Method m : c.getDeclaredMethods()) {
                if (visible(m.getModifiers())) {
                    types.add(m.getGenericReturnType());
                    types.addAll(List.of(m.getGenericParameterTypes()));
                }
            }
            for (Constructor<?> k : c.getDeclaredConstructors()) {
                if (visible(k.getModifiers())) {
                    types.addAll(List.of(k.getGenericParameterTypes()));
                }
            }
            for (Field f : c.getDeclaredFields()) {
                if (visible(f.getModifiers())) {
                    types.add(f.getGenericType());
                }
            }
            types.add(c.getGenericSuperclass());
            types.addAll(List.of(c.getGenericInterfaces()));
            for (Type t : types) {
                String name = t == null ? "" : t.getTypeName();
                if (name.contains("org.nd4j") || name.contains("io.charrnn.internal")) {
                    leaks.add(c.getName() + ": " + name);
                }
            }
        }
        assertEquals(List.of(), leaks);
    }
}
