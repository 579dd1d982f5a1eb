fn grid(rows: &[Row]) -> Result<(), Error> {
    {
        let __failfast_outcome = ff::__private::try_for_each(
            rows,
            4,
            |row| {
                {
                    if row.is_empty() {
                        return ff::__private::Outcome::success();
                    }
                    {
                        let __failfast_outcome = ff::__private::try_for_each(
                            row.cells(),
                            2,
                            |cell| {
                                {
                                    for attempt in 0..3 {
                                        if cell.try_check(attempt)? {
                                            break;
                                        }
                                    }
                                }
                                ff::__private::Outcome::success()
                            },
                        );
                        if let ::core::option::Option::Some(__failfast_outcome) = ff::__private::Fallible::exit(
                            __failfast_outcome,
                        ) {
                            return __failfast_outcome;
                        }
                    }
                }
                ff::__private::Outcome::success()
            },
        );
        if let ::core::option::Option::Some(__failfast_outcome) = ff::__private::Fallible::exit(
            __failfast_outcome,
        ) {
            return __failfast_outcome;
        }
    }
    Ok(())
}
