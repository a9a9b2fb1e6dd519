/**
 * The queries the dashboard writes itself (the contract's are in contract-queries.ts). Plain strings with no imports:
 * the load benchmark (bench/load.ts) compiles this module too and sends exactly what the pages send.
 */

/**
 * The overview in one request: the forum's progress (as ForumProgress asks it) and each member's share against its
 * target (from CityComparison). One request lets the gateway ask each city once.
 */
export const OVERVIEW = `query Overview($year: Int!) {
  forum {
    members { id name staff(year: $year) { share target { kind share } provenance { kind source note } } }
    staffProgress(year: $year) {
      pooledShare
      targetShare
      gapPoints
      citiesReporting { id }
      missing { municipality { id name } reason }
    }
    traineeProgress(year: $year) { pooledShare citiesReporting { id } }
    trainingProgress(year: $year) { completionRate targetShare gapPoints }
  }
}`;

export const CITY_DETAILS = `query CityDetails($id: ID!, $from: Int!, $to: Int!) {
  municipality(id: $id) {
    id
    name
    staffSeries(from: $from, to: $to) { year share target { kind share } provenance { kind source note } }
    traineeSeries(from: $from, to: $to) { year share provenance { kind source note } }
    interculturalTrainingSeries(from: $from, to: $to, unit: "jobcenter") { year completionRate provenance { kind source note } }
    staffProjection { targetShare latestShare latestYear yearlyChangePoints reachesTargetIn basedOnYears }
  }
}`;

export const MEMBERS = `query Members { forum { members { id name } } }`;

export const STAFF_FOR_FORM = `query StaffForForm($id: ID!, $year: Int!) {
  municipality(id: $id) {
    name
    staff(year: $year) { headcount respondents withMigrationHistory withForeignNationality revision { number } }
    staffRevisions(year: $year) { headcount respondents withMigrationHistory share revision { number submittedBy submittedAt reason } }
  }
}`;

export const submitStaff = (city: string) => `mutation SubmitStaff($input: StaffFiguresInput!) {
  ${city} { submitStaffFigures(input: $input) { staff { year share revision { number } } } }
}`;

export const importFigures = (city: string) => `mutation ImportFigures($csv: String!) {
  ${city} { importFigures(csv: $csv) { accepted rowsRead revisionsWritten problems { row column messages { de en } } } }
}`;
