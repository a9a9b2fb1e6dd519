/**
 * The queries the dashboard writes itself (the contract's are in contract-queries.ts). Plain strings with no imports:
 * the load benchmark (bench/load.ts) compiles this module too and sends exactly what the pages send.
 */

/**
 * The year a page shows unless its address names one: the latest year any member reported a figure in. Read from
 * the data, not the clock: figures for a year arrive months after it ends, and a demo data set ends when it ends.
 */
export const LATEST_YEAR = `query LatestYear { forum { members { annualFigures { year } } } }`;

/**
 * The overview in one request: the forum's progress against its three commitments (with the judged, headcount-weighted
 * staff estimate, parity beside the headline, what each figure is made of, and who is missing), and each member's
 * share with its interval against its own target. One request lets the gateway ask each city once.
 */
export const OVERVIEW = `query Overview($year: Int!) {
  forum {
    commitments { id title titleEn source }
    members {
      id
      name
      staff(year: $year) {
        share
        shareInterval { lower upper }
        targetStatus
        target { kind share basisYear provenance { kind source note } }
        provenance { kind source note }
      }
    }
    staffProgress(year: $year) {
      pooledShare
      targetShare
      targetKind
      weightedEstimate { share lower upper cities headcount }
      weightedGapPoints
      targetStatus
      populationParityShare
      populationParityDefinitions
      populationParityStatus
      populationParityBasis { municipality { id name } share basisYear definition population provenance { kind source note } }
      provenanceMix { kind cities respondents }
      citiesReporting { id }
      missing { municipality { id name } reason }
    }
    traineeProgress(year: $year) {
      pooledShare
      targetKind
      targetShare
      gapPoints
      targetStatus
      increase { municipality { id name } sinceYear sinceShare share changePoints status }
      increaseSummary { citiesRose citiesDidNotRise citiesUnknown }
      provenanceMix { kind cities intake }
      citiesReporting { id }
      missing { municipality { id name } reason }
    }
    trainingProgress(year: $year) {
      completionRate
      targetShare
      gapPoints
      targetStatus
      provenanceMix { kind cities staffInScope }
      citiesReporting { id }
      missing { municipality { id name } reason }
    }
  }
}`;

/** What the comparison adds to the contract's CityComparison: each share's interval and its target judged with it. */
export const COMPARISON_INTERVALS = `query ComparisonIntervals($year: Int!) {
  forum {
    members {
      id
      staff(year: $year) { shareInterval { lower upper } targetStatus target { kind basisYear provenance { kind note } } }
    }
  }
}`;

export const CITY_DETAILS = `query CityDetails($id: ID!, $from: Int!, $to: Int!) {
  municipality(id: $id) {
    id
    name
    staffSeries(from: $from, to: $to) {
      year
      share
      shareInterval { lower upper }
      targetStatus
      target { kind share basisYear provenance { kind source note } }
      provenance { kind source note }
    }
    traineeSeries(from: $from, to: $to) { year share provenance { kind source note } }
    interculturalTrainingSeries(from: $from, to: $to, unit: "jobcenter") { year completionRate provenance { kind source note } }
    staffProjection { targetShare latestShare latestYear yearlyChangePoints status reachesTargetIn basedOnYears }
  }
}`;

export const MEMBERS = `query Members { forum { members { id name } } }`;

/** The staff figures of a year with their breakdown by unit (resent with a correction), and every revision. */
export const STAFF_FOR_FORM = `query StaffForForm($id: ID!, $year: Int!) {
  municipality(id: $id) {
    name
    units { id name nameEn }
    staff(year: $year) {
      headcount
      respondents
      withMigrationHistory
      withForeignNationality
      byUnit { unit headcount respondents withMigrationHistory }
      revision { number }
    }
    staffRevisions(year: $year) {
      headcount
      respondents
      withMigrationHistory
      withForeignNationality
      share
      byUnit { unit }
      revision { number submittedBy submittedAt reason }
    }
  }
}`;

export const SUBMIT_STAFF = `mutation SubmitStaff($city: ID!, $input: StaffFiguresInput!) {
  municipality(id: $city) { submitStaffFigures(input: $input) { staff { year share revision { number } } } }
}`;

export const NEW_HIRES_FOR_FORM = `query NewHiresForForm($id: ID!, $year: Int!) {
  municipality(id: $id) {
    newHires(year: $year) { total withMigrationHistory revision { number } }
    newHireRevisions(year: $year) { total withMigrationHistory share revision { number submittedBy submittedAt reason } }
  }
}`;

export const SUBMIT_NEW_HIRES = `mutation SubmitNewHires($city: ID!, $input: NewHiresInput!) {
  municipality(id: $city) { submitNewHires(input: $input) { newHires { year share revision { number } } } }
}`;

export const TRAINEES_FOR_FORM = `query TraineesForForm($id: ID!, $year: Int!) {
  municipality(id: $id) {
    trainees(year: $year) { intake withMigrationHistory revision { number } }
    traineeRevisions(year: $year) { intake withMigrationHistory share revision { number submittedBy submittedAt reason } }
  }
}`;

export const SUBMIT_TRAINEE_INTAKE = `mutation SubmitTraineeIntake($city: ID!, $input: TraineeIntakeInput!) {
  municipality(id: $city) { submitTraineeIntake(input: $input) { trainees { year share revision { number } } } }
}`;

/** Every unit's training of the year at once: the form shows one unit, picked on the page, without a request per pick. */
export const TRAINING_FOR_FORM = `query TrainingForForm($id: ID!, $year: Int!) {
  municipality(id: $id) {
    units { id name nameEn }
    interculturalTraining(year: $year) { unit staffInScope completed revision { number } }
    trainingRevisions(year: $year) { unit staffInScope completed completionRate revision { number submittedBy submittedAt reason } }
  }
}`;

export const SUBMIT_TRAINING = `mutation SubmitTraining($city: ID!, $input: TrainingInput!) {
  municipality(id: $city) { submitTraining(input: $input) { training { year unit completionRate revision { number } } } }
}`;

/** Starts a CSV import as a job: answered at once; FIGURE_IMPORT_JOB follows it (same fields). */
export const START_FIGURE_IMPORT = `mutation StartFigureImport($city: ID!, $csv: String!) {
  municipality(id: $city) { startFigureImport(csv: $csv) {
    id status rowsTotal rowsChecked revisionsTotal revisionsWritten
    report { accepted rowsRead revisionsWritten problems { row column messages { de en } } }
  } }
}`;

export const FIGURE_IMPORT_JOB = `query FigureImportJob($city: ID!, $id: ID!) {
  municipality(id: $city) { figureImportJob(id: $id) {
    id status rowsTotal rowsChecked revisionsTotal revisionsWritten
    report { accepted rowsRead revisionsWritten problems { row column messages { de en } } }
  } }
}`;
