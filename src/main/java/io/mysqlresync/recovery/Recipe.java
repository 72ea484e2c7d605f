package io.mysqlresync.recovery;

/** One finding kind's share of a recovery plan; {@link Recipes} says which kind each recipe fixes. */
interface Recipe {

    /** For kinds that need nothing done (healthy, lagging, restarted). */
    Recipe NOTHING = (at, plan) -> { };

    void addTo(Situation at, PlanDraft plan);
}
