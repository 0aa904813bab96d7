package io.charrnn.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.properties.HasName;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The package boundaries of charrnn-core, read from its class files (ArchUnit): the engine
 * ({@code io.charrnn.internal..}) sits below the public API and never shows in it; it uses only
 * the few plain value types of the public packages that it reads or builds, which themselves use
 * nothing of the engine; one door ({@code internal.access}) reaches the engine held by a model or
 * corpus; and no package depends on itself through others. charrnn-examples' own test checks that
 * nothing there reaches the engine.
 */
@AnalyzeClasses(packages = "io.charrnn", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    private static final String INTERNAL = "io.charrnn.internal..";

    /**
     * The public types the engine may use: plain values it reads or builds (configuration,
     * vocabulary, the record of training), and the exception its file reader throws.
     */
    static final Set<String> VALUES_THE_ENGINE_MAY_USE = Set.of(
            "io.charrnn.model.Activation",
            "io.charrnn.model.CellType",
            "io.charrnn.model.ModelConfig",
            "io.charrnn.model.TrainingInfo",
            "io.charrnn.model.LossHistory",
            "io.charrnn.text.Vocabulary",
            "io.charrnn.io.ModelFormatException");

    /** The argument checks: engine code that every package, the value types included, may use. */
    private static final String CHECKS = "io.charrnn.internal.check";

    /** The door: the one engine package that may reach the objects holding an engine. */
    private static final String DOOR = "io.charrnn.internal.access";

    /** What only the door may use: the public objects whose private engine or codes it reaches. */
    static final Set<String> HOLDERS = Set.of("io.charrnn.model.RnnModel", "io.charrnn.text.Corpus",
            "io.charrnn.text.Corpus$Split");

    @ArchTest
    static final ArchRule publicSignatures_carryNoNd4jOrInternalType = classes()
            .that().resideOutsideOfPackage(INTERNAL).and().arePublic()
            .should(exposeOnlyPublicTypes());

    /**
     * Edges from the engine to the plain value types are left out: those types depend on nothing of
     * the engine ({@link #valueTypes_useNothingOfTheEngine}), so they close no cycle of classes; they
     * only share a package with classes that hold an engine.
     */
    @ArchTest
    static final ArchRule packages_haveNoCycles = slices().matching("io.charrnn.(**)").should().beFreeOfCycles()
            .ignoreDependency(DescribedPredicate.describe("an engine class", ArchitectureTest::inEngine),
                    DescribedPredicate.describe("a plain value type", ArchitectureTest::valueType));

    /**
     * The value types may use the argument checks ({@code internal.check}), which use nothing of
     * charrnn ({@link #checks_useNothingOfCharrnn}) and so close no cycle.
     */
    @ArchTest
    static final ArchRule valueTypes_useNothingOfTheEngine = classes()
            .that(DescribedPredicate.describe("are plain value types the engine may use", ArchitectureTest::valueType))
            .should().onlyDependOnClassesThat(DescribedPredicate.describe("are outside the engine or in " + CHECKS,
                    (JavaClass c) -> !inEngine(c) || c.getPackageName().equals(CHECKS)));

    @ArchTest
    static final ArchRule checks_useNothingOfCharrnn = classes()
            .that().resideInAPackage(CHECKS)
            .should().onlyDependOnClassesThat(DescribedPredicate.describe("are outside io.charrnn or in " + CHECKS,
                    (JavaClass c) -> !c.getPackageName().startsWith("io.charrnn") || c.getPackageName().equals(CHECKS)));

    @ArchTest
    static final ArchRule engine_usesOnlyPlainValuesOfThePublicPackages = classes()
            .that().resideInAPackage(INTERNAL).and().resideOutsideOfPackage(DOOR)
            .should().onlyDependOnClassesThat(DescribedPredicate.describe(
                    "are in the engine, outside io.charrnn, or one of " + VALUES_THE_ENGINE_MAY_USE,
                    (JavaClass c) -> inEngine(c) || !c.getPackageName().startsWith("io.charrnn") || valueType(c)));

    @ArchTest
    static final ArchRule door_usesOnlyPlainValuesAndTheHolders = classes()
            .that().resideInAPackage(DOOR)
            .should().onlyDependOnClassesThat(DescribedPredicate.describe(
                    "are in the engine, outside io.charrnn, plain values or one of " + HOLDERS,
                    (JavaClass c) -> inEngine(c) || !c.getPackageName().startsWith("io.charrnn") || valueType(c)
                            || HOLDERS.contains(c.getName())));

    private static boolean inEngine(JavaClass c) {
        String p = c.getPackageName();
        return p.equals("io.charrnn.internal") || p.startsWith("io.charrnn.internal.");
    }

    /** A listed value type or one of its nested types (records, enums). */
    private static boolean valueType(JavaClass c) {
        String name = c.getName();
        int nested = name.indexOf('$');
        return VALUES_THE_ENGINE_MAY_USE.contains(nested < 0 ? name : name.substring(0, nested));
    }

    private static boolean engineOrNd4j(JavaClass c) {
        return c.getPackageName().startsWith("org.nd4j") || inEngine(c);
    }

    private static boolean visible(Set<JavaModifier> modifiers) {
        return modifiers.contains(JavaModifier.PUBLIC) || modifiers.contains(JavaModifier.PROTECTED);
    }

    /** No public or protected member, supertype or type argument names an ND4J or engine type. */
    private static ArchCondition<JavaClass> exposeOnlyPublicTypes() {
        return new ArchCondition<>("expose no ND4J or io.charrnn.internal type in a public or protected signature") {
            @Override
            public void check(JavaClass c, ConditionEvents events) {
                Set<String> leaks = new LinkedHashSet<>();
                Set<JavaClass> supertypes = new LinkedHashSet<>(c.getRawInterfaces());
                c.getRawSuperclass().ifPresent(supertypes::add);
                for (JavaClass s : supertypes) {
                    if (engineOrNd4j(s)) {
                        leaks.add("extends " + s.getName());
                    }
                }
                for (JavaMember m : c.getMembers()) {
                    if (!visible(m.getModifiers())) {
                        continue;
                    }
                    Set<JavaClass> involved = m instanceof JavaField f
                            ? f.getType().getAllInvolvedRawTypes()
                            : ((JavaCodeUnit) m).getAllInvolvedRawTypes();
                    involved.stream().filter(ArchitectureTest::engineOrNd4j).map(HasName::getName)
                            .forEach(t -> leaks.add(m.getFullName() + " uses " + t));
                }
                for (String leak : leaks) {
                    events.add(SimpleConditionEvent.violated(c, leak));
                }
            }
        };
    }
}
