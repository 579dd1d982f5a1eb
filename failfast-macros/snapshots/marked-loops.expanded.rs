fn sync(local: &[File], remote: &[File]) -> Result<(), Error> {
    for file in local {
        println!("{}", file.name);
    }
    {
        let () = {
            let __failfast_outcome = ::failfast::__private::thread_loop(
                remote,
                16,
                |file| {
                    if ::failfast::__private::always() {
                        file.fetch()?;
                    }
                    ::failfast::__private::Flow::success()
                },
            );
            if let ::core::option::Option::Some(__failfast_outcome) = ::failfast::__private::Fallible::exit(
                __failfast_outcome,
            ) {
                return __failfast_outcome;
            }
        };
    }
    let check = |files: &[File]| -> Result<(), Error> {
        {
            let () = {
                let __failfast_outcome = ::failfast::__private::thread_loop(
                    files,
                    2,
                    |file| {
                        if ::failfast::__private::always() {
                            file.verify()?;
                        }
                        ::failfast::__private::Flow::success()
                    },
                );
                if let ::core::option::Option::Some(__failfast_outcome) = ::failfast::__private::Fallible::exit(
                    __failfast_outcome,
                ) {
                    return __failfast_outcome;
                }
            };
        }
        Ok(())
    };
    check(local)
}
