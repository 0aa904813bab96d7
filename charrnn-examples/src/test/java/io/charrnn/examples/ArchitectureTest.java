package io.charrnn.examples;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The examples use charrnn-core's public API only: nothing here reaches the engine
 * ({@code io.charrnn.internal..}) or ND4J, whose types core keeps out of its public signatures.
 */
@AnalyzeClasses(packages = "io.charrnn.examples", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule examples_useOnlyThePublicApi = noClasses()
            .that().resideInAPackage("io.charrnn.examples..")
            .should().dependOnClassesThat().resideInAnyPackage("io.charrnn.internal..", "org.nd4j..");
}
